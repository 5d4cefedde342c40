package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

/**
 * A change in the cluster that may make a pod schedulable: what kind of object, and what happened
 * to it. Plugins register the events that could undo their rejections
 * ({@link EnqueueExtensions}); the scheduler reports each informer event as one ClusterEvent and
 * moves the pods whose rejecting plugins registered a matching one.
 *
 * @param resource the object's kind: {@code Pod}, {@code Node}, {@code PersistentVolumeClaim}, ...,
 *        {@code kind.version.group} for other types, {@link #WILDCARD} for any
 * @param actions what happened; never empty
 */
public record ClusterEvent(String resource, Set<ActionType> actions) {

    public static final String WILDCARD = "*";
    public static final String POD = "Pod";
    public static final String NODE = "Node";
    public static final String PERSISTENT_VOLUME = "PersistentVolume";
    public static final String PERSISTENT_VOLUME_CLAIM = "PersistentVolumeClaim";
    public static final String STORAGE_CLASS = "StorageClass";
    public static final String CSI_NODE = "CSINode";

    public ClusterEvent {
        requireNonNull(resource, "resource is null");
        requireNonNull(actions, "actions is null");
        if (resource.isBlank()) {
            throw new IllegalArgumentException("resource is blank");
        }
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("actions is empty");
        }
        actions = Set.copyOf(actions);
    }

    public static ClusterEvent of(String resource, ActionType first, ActionType... more) {
        return new ClusterEvent(resource, EnumSet.of(first, more));
    }

    /**
     * Whether {@code reported}, an event that happened, is one this registered event asks for:
     * the resources are equal or this one is the wildcard, and some action of one is among the
     * other's ({@link ActionType#UPDATE} standing for every update kind).
     */
    public boolean matches(ClusterEvent reported) {
        if (!resource.equals(WILDCARD) && !resource.equals(reported.resource)) {
            return false;
        }
        Set<ActionType> wanted = EnumSet.noneOf(ActionType.class);
        actions.forEach(action -> wanted.addAll(action.expand()));
        for (ActionType action : reported.actions) {
            for (ActionType specific : action.expand()) {
                if (wanted.contains(specific)) {
                    return true;
                }
            }
        }
        return false;
    }
}
