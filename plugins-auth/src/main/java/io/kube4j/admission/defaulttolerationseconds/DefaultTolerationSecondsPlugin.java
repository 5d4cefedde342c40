package io.kube4j.admission.defaulttolerationseconds;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.admission.AdmissionRequest;
import io.kube4j.api.admission.AdmissionRequest.Operation;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.MutatingAdmissionPlugin;

/**
 * kube-apiserver's {@code DefaultTolerationSeconds}: on pod creation, unless a toleration of the pod
 * already tolerates {@code node.kubernetes.io/not-ready:NoExecute} (an {@code Exists} toleration of
 * every key, or one of that key with no or that effect), it adds
 * {@code {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}};
 * the same for {@code node.kubernetes.io/unreachable}.
 */
final class DefaultTolerationSecondsPlugin implements MutatingAdmissionPlugin {
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String NO_EXECUTE = "NoExecute";

    private final DefaultTolerationSecondsConfig config;

    DefaultTolerationSecondsPlugin(DefaultTolerationSecondsConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        if (!request.resource().group().isEmpty() || !request.resource().plural().equals("pods")
                || !request.subresource().isEmpty() || request.object().isEmpty()) {
            return AdmissionResponse.allow();
        }
        JsonNode tolerations = request.object().get().path("spec").path("tolerations");
        boolean notReady = tolerates(tolerations, NOT_READY);
        boolean unreachable = tolerates(tolerations, UNREACHABLE);
        if (notReady && unreachable) {
            return AdmissionResponse.allow();
        }
        ObjectNode pod = request.object().get().deepCopy();
        ObjectNode spec = pod.has("spec") && pod.get("spec").isObject() ? (ObjectNode) pod.get("spec") : pod.putObject("spec");
        ArrayNode list = spec.has("tolerations") && spec.get("tolerations").isArray()
                ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
        if (!notReady) {
            add(list, NOT_READY, config.defaultNotReadyTolerationSeconds());
        }
        if (!unreachable) {
            add(list, UNREACHABLE, config.defaultUnreachableTolerationSeconds());
        }
        return AdmissionResponse.mutated(pod);
    }

    private static void add(ArrayNode list, String key, long seconds) {
        list.addObject().put("key", key).put("operator", "Exists").put("effect", NO_EXECUTE).put("tolerationSeconds", seconds);
    }

    /** Whether a toleration tolerates the taint {@code key:NoExecute} (it has no value), as core's ToleratesTaint. */
    private static boolean tolerates(JsonNode tolerations, String key) {
        if (!tolerations.isArray()) {
            return false;
        }
        for (JsonNode t : tolerations) {
            String effect = t.path("effect").asText("");
            String tKey = t.path("key").asText("");
            String operator = t.path("operator").asText("");
            if ((effect.isEmpty() || effect.equals(NO_EXECUTE)) && (tKey.isEmpty() || tKey.equals(key))
                    && (operator.equals("Exists") || ((operator.isEmpty() || operator.equals("Equal"))
                    && !tKey.isEmpty() && t.path("value").asText("").isEmpty()))) {
                return true;
            }
        }
        return false;
    }
}
