package io.kube4j.api.scheduling;

import java.util.EnumSet;
import java.util.Set;

/**
 * What happened to an object in a {@link ClusterEvent}. The {@code UPDATE_*} values name the
 * part of an update that matters to scheduling; {@link #UPDATE} means "some update" and matches
 * every one of them, both when registered and when reported.
 */
public enum ActionType {
    ADD,
    DELETE,
    UPDATE,
    UPDATE_NODE_ALLOCATABLE,
    UPDATE_NODE_LABEL,
    UPDATE_NODE_TAINT,
    UPDATE_NODE_CONDITION,
    UPDATE_NODE_ANNOTATION,
    UPDATE_POD_LABEL,
    UPDATE_POD_SCALE_DOWN,
    UPDATE_POD_TOLERATIONS,
    UPDATE_POD_SCHEDULING_GATES_ELIMINATED;

    /** Whether this is an update of any kind. */
    public boolean isUpdate() {
        return this != ADD && this != DELETE;
    }

    /** The specific actions this one stands for: every update kind for {@link #UPDATE}, else itself. */
    public Set<ActionType> expand() {
        if (this != UPDATE) {
            return EnumSet.of(this);
        }
        EnumSet<ActionType> updates = EnumSet.noneOf(ActionType.class);
        for (ActionType type : values()) {
            if (type.isUpdate() && type != UPDATE) {
                updates.add(type);
            }
        }
        return updates;
    }

    /** ADD, DELETE and every update: "anything". */
    public static Set<ActionType> all() {
        return EnumSet.allOf(ActionType.class);
    }
}
