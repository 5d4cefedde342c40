package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static java.util.Objects.requireNonNull;

/**
 * The three patch types of {@code PATCH} requests, with kube-apiserver's semantics. Every method returns
 * a new tree and leaves {@code target} and {@code patch} untouched; all are thread safe.
 */
public final class Patches {
    private Patches() {
    }

    /**
     * Applies an RFC 6902 JSON patch ({@code application/json-patch+json}): {@code add}, {@code remove},
     * {@code replace}, {@code move}, {@code copy}, {@code test}, with the {@code "-"} array index and
     * {@code ~0}/{@code ~1} escapes.
     *
     * @throws PatchException 400 when the patch is malformed, 422 when an operation cannot apply (a failed
     *         {@code test}, a missing path) or the result is not an object
     */
    public static ObjectNode jsonPatch(ObjectNode target, JsonNode patch) throws PatchException {
        requireNonNull(target, "target is null");
        requireNonNull(patch, "patch is null");
        return requireObject(JsonPatch.apply(target, patch));
    }

    /**
     * Applies an RFC 7386 JSON merge patch ({@code application/merge-patch+json}): objects merge
     * recursively, {@code null} deletes, anything else (arrays included) replaces.
     *
     * @throws PatchException 400 when the patch is not a JSON object
     */
    public static ObjectNode mergePatch(ObjectNode target, JsonNode patch) throws PatchException {
        requireNonNull(target, "target is null");
        requireNonNull(patch, "patch is null");
        if (!patch.isObject()) {
            throw PatchException.badRequest("merge patch must be a JSON object");
        }
        return (ObjectNode) MergePatch.apply(target, patch);
    }

    private static ObjectNode requireObject(JsonNode result) throws PatchException {
        if (result instanceof ObjectNode object) {
            return object;
        }
        throw PatchException.unprocessable("the patched document is not a JSON object");
    }
}
