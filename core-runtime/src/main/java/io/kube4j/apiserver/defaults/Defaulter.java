package io.kube4j.apiserver.defaults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;

/** STUB until the defaulting work lands. */
public final class Defaulter {
    private Defaulter() {
    }

    public static void apply(ResourceType type, ObjectNode object) {
    }
}
