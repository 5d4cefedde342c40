package io.kube4j.admission.namespacelifecycle;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.admission.AdmissionRequest;
import io.kube4j.api.admission.AdmissionRequest.Operation;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.ClusterView;
import io.kube4j.api.admission.MutatingAdmissionPlugin;
import io.kube4j.api.admission.ValidatingAdmissionPlugin;
import io.kube4j.api.resource.ResourceType;
import java.util.Optional;
import java.util.Set;

/**
 * Enforces the namespace life cycle the way kube-apiserver's plugin of the same name does, with
 * its messages, so that clients matching on them behave the same.
 *
 * <p>Upstream runs it in the mutating phase, first, so that a write into a missing namespace
 * fails on the namespace before any other plugin (ServiceAccount, say) reports something less
 * telling; it also runs as a validating plugin to catch a namespace that began terminating while
 * the request went through the chain. It never changes the object.
 */
final class NamespaceLifecyclePlugin implements MutatingAdmissionPlugin, ValidatingAdmissionPlugin {
    private static final Set<Operation> HANDLED = Set.of(Operation.CREATE, Operation.UPDATE, Operation.DELETE);

    // Answering "not found" for these would let anyone probe which namespaces exist.
    private static final Set<String> ACCESS_REVIEWS = Set.of("localsubjectaccessreviews.authorization.k8s.io");

    private final ClusterView cluster;
    private final Set<String> immortalNamespaces;

    NamespaceLifecyclePlugin(ClusterView cluster, Set<String> immortalNamespaces) {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.immortalNamespaces = Set.copyOf(immortalNamespaces);
    }

    @Override
    public boolean handles(Operation operation) {
        return HANDLED.contains(operation);
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        return validate(request);
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        ResourceType resource = request.resource();
        if (isNamespace(resource)) {
            if (request.operation() == Operation.DELETE && immortalNamespaces.contains(request.name())) {
                return AdmissionResponse.forbidden(
                        "namespaces \"" + request.name() + "\" is forbidden: this namespace may not be deleted");
            }
            return AdmissionResponse.allow();
        }
        if (!resource.namespaced() || request.namespace().isEmpty()) {
            return AdmissionResponse.allow();
        }
        // Deleting is how a terminating namespace gets emptied, so it must always go through.
        if (request.operation() == Operation.DELETE || ACCESS_REVIEWS.contains(resource.qualifiedName())) {
            return AdmissionResponse.allow();
        }
        Optional<ObjectNode> namespace = cluster.get("", "namespaces", "", request.namespace());
        if (namespace.isEmpty()) {
            return new AdmissionResponse.Denied(404, "NotFound",
                    "namespaces \"" + request.namespace() + "\" not found");
        }
        if (request.operation() == Operation.CREATE && isTerminating(namespace.get())) {
            return AdmissionResponse.forbidden(resource.qualifiedName() + " \"" + objectName(request)
                    + "\" is forbidden: unable to create new content in namespace " + request.namespace()
                    + " because it is being terminated");
        }
        return AdmissionResponse.allow();
    }

    private static boolean isNamespace(ResourceType resource) {
        return resource.group().isEmpty() && resource.kind().equals("Namespace");
    }

    // The phase is set together with the deletion timestamp on delete; either one is enough.
    private static boolean isTerminating(ObjectNode namespace) {
        JsonNode deletionTimestamp = namespace.path("metadata").path("deletionTimestamp");
        return namespace.path("status").path("phase").asText("").equals("Terminating")
                || deletionTimestamp.isTextual() && !deletionTimestamp.asText().isEmpty();
    }

    // A create may carry only generateName; kube-apiserver names the object that way in its errors.
    private static String objectName(AdmissionRequest request) {
        if (!request.name().isEmpty()) {
            return request.name();
        }
        JsonNode metadata = request.object().map(o -> o.path("metadata")).orElse(null);
        if (metadata != null) {
            String name = metadata.path("name").asText("");
            if (!name.isEmpty()) {
                return name;
            }
            String generateName = metadata.path("generateName").asText("");
            if (!generateName.isEmpty()) {
                return generateName;
            }
        }
        return "Unknown";
    }
}
