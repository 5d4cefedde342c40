package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** STUB until the patch work lands. */
public final class Patches {
    private Patches() {
    }

    public static ObjectNode jsonPatch(ObjectNode target, JsonNode patch) throws PatchException {
        throw new PatchException(415, "json patch is not implemented yet");
    }

    public static ObjectNode mergePatch(ObjectNode target, JsonNode patch) throws PatchException {
        throw new PatchException(415, "merge patch is not implemented yet");
    }

    public static ObjectNode strategicMergePatch(ObjectNode target, JsonNode patch, String apiVersion, String kind)
            throws PatchException {
        throw new PatchException(415, "strategic merge patch is not implemented yet");
    }
}
