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

    /**
     * Applies a Kubernetes strategic merge patch ({@code application/strategic-merge-patch+json}) to an
     * object of the given kind. Maps merge recursively and {@code null} deletes; lists that Kubernetes
     * declares with a merge key (containers by {@code name}, container ports by {@code containerPort},
     * Service ports by {@code port}, status conditions by {@code type}, ...) merge element by element;
     * scalar lists with the merge strategy ({@code metadata.finalizers}) are unioned; other lists are
     * replaced. Directives: {@code $patch: replace|delete|merge} on maps and list elements,
     * {@code $deleteFromPrimitiveList/<field>}, {@code $setElementOrder/<field>} and {@code $retainKeys}.
     * Kinds without a built-in model (custom resources) merge like a merge patch below
     * {@code metadata}, with {@code metadata} still merged as ObjectMeta.
     *
     * @throws PatchException 400 when the patch is not a JSON object, 422 when it cannot apply (a list
     *         element without its merge key, an unknown directive)
     */
    public static ObjectNode strategicMergePatch(ObjectNode target, JsonNode patch, String apiVersion, String kind) throws PatchException {
        requireNonNull(target, "target is null");
        requireNonNull(patch, "patch is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(kind, "kind is null");
        if (!(patch instanceof ObjectNode patchObject)) {
            throw PatchException.badRequest("strategic merge patch must be a JSON object");
        }
        return StrategicMerge.mergeMap(target.deepCopy(), patchObject, Schema.forKind(apiVersion, kind));
    }

    private static ObjectNode requireObject(JsonNode result) throws PatchException {
        if (result instanceof ObjectNode object) {
            return object;
        }
        throw PatchException.unprocessable("the patched document is not a JSON object");
    }
}
