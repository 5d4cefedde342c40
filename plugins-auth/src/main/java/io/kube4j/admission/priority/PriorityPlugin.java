package io.kube4j.admission.priority;

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
 * kube-apiserver's {@code Priority} plugin, with its messages. Mutating: a new pod gets the
 * priority and preemption policy of its PriorityClass, or of the global default class when it
 * names none (priority 0 and {@code PreemptLowerPriority} when there is no default); a pod naming
 * a class that does not exist, or setting a priority or policy other than its class's, is
 * forbidden. Validating: at most one PriorityClass is {@code globalDefault}, and the system
 * classes cannot be deleted (upstream refuses that in the PriorityClass registry; here it is this
 * plugin's job, so a profile without it can delete them).
 */
final class PriorityPlugin implements MutatingAdmissionPlugin, ValidatingAdmissionPlugin {
    static final String GROUP = "scheduling.k8s.io";
    static final String PRIORITY_CLASSES = "priorityclasses";
    static final String PREEMPT_LOWER_PRIORITY = "PreemptLowerPriority";
    private static final Set<Operation> HANDLED = Set.of(Operation.CREATE, Operation.UPDATE, Operation.DELETE);

    private final ClusterView cluster;
    private final Set<String> systemClasses;

    PriorityPlugin(ClusterView cluster, Set<String> systemClasses) {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.systemClasses = Set.copyOf(systemClasses);
    }

    @Override
    public boolean handles(Operation operation) {
        return HANDLED.contains(operation);
    }

    @Override
    public AdmissionResponse admit(AdmissionRequest request) {
        // Pod validation keeps spec.priority immutable, so only creation needs resolving.
        if (!isPods(request.resource()) || request.operation() != Operation.CREATE || !request.subresource().isEmpty()
                || request.object().isEmpty()) {
            return AdmissionResponse.allow();
        }
        ObjectNode pod = request.object().get();
        JsonNode spec = pod.path("spec");
        String className = spec.path("priorityClassName").asText("");
        Optional<String> resolvedName;
        int priority;
        String policy;
        if (className.isEmpty()) {
            Optional<ObjectNode> globalDefault = globalDefault();
            resolvedName = globalDefault.map(PriorityPlugin::name);
            priority = globalDefault.map(c -> c.path("value").asInt(0)).orElse(0);
            policy = globalDefault.map(PriorityPlugin::preemptionPolicy).orElse(PREEMPT_LOWER_PRIORITY);
        } else {
            Optional<ObjectNode> priorityClass = cluster.get(GROUP, PRIORITY_CLASSES, "", className);
            if (priorityClass.isEmpty()) {
                return forbidden(request, "no PriorityClass with name " + className + " was found");
            }
            resolvedName = Optional.of(className);
            priority = priorityClass.get().path("value").asInt(0);
            policy = preemptionPolicy(priorityClass.get());
        }
        JsonNode given = spec.path("priority");
        if (given.isNumber() && given.asInt() != priority) {
            return forbidden(request, "the integer value of priority (" + given.asInt() + ") must not be provided in pod "
                    + "spec; priority admission controller computed " + priority + " from the given PriorityClass name");
        }
        String givenPolicy = spec.path("preemptionPolicy").asText("");
        if (!givenPolicy.isEmpty() && !givenPolicy.equals(policy)) {
            return forbidden(request, "the string value of PreemptionPolicy (" + givenPolicy + ") must not be provided "
                    + "in pod spec; priority admission controller computed " + policy + " from the given PriorityClass name");
        }
        ObjectNode mutated = pod.deepCopy();
        ObjectNode mutatedSpec = mutated.has("spec") && mutated.get("spec").isObject()
                ? (ObjectNode) mutated.get("spec") : mutated.putObject("spec");
        resolvedName.ifPresent(name -> mutatedSpec.put("priorityClassName", name));
        mutatedSpec.put("priority", priority);
        mutatedSpec.put("preemptionPolicy", policy);
        return AdmissionResponse.mutated(mutated);
    }

    @Override
    public AdmissionResponse validate(AdmissionRequest request) {
        if (!isPriorityClasses(request.resource()) || !request.subresource().isEmpty()) {
            return AdmissionResponse.allow();
        }
        if (request.operation() == Operation.DELETE) {
            if (systemClasses.contains(request.name())) {
                return forbidden(request, "this is a system priority class and cannot be deleted");
            }
            return AdmissionResponse.allow();
        }
        ObjectNode priorityClass = request.object().orElse(null);
        if (priorityClass == null || !priorityClass.path("globalDefault").asBoolean(false)) {
            return AdmissionResponse.allow();
        }
        Optional<ObjectNode> existing = globalDefault();
        if (existing.isPresent() && (request.operation() == Operation.CREATE
                || !name(existing.get()).equals(name(priorityClass)))) {
            return forbidden(request, "PriorityClass " + name(existing.get())
                    + " is already marked as default. Only one default can exist");
        }
        return AdmissionResponse.allow();
    }

    /** The global default class; with several (two writes raced), the one of lowest value, as upstream. */
    private Optional<ObjectNode> globalDefault() {
        ObjectNode best = null;
        for (ObjectNode candidate : cluster.list(GROUP, PRIORITY_CLASSES, "")) {
            if (candidate.path("globalDefault").asBoolean(false)
                    && (best == null || candidate.path("value").asInt(0) < best.path("value").asInt(0))) {
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String preemptionPolicy(ObjectNode priorityClass) {
        String policy = priorityClass.path("preemptionPolicy").asText("");
        return policy.isEmpty() ? PREEMPT_LOWER_PRIORITY : policy;
    }

    private static String name(ObjectNode object) {
        return object.path("metadata").path("name").asText("");
    }

    private static boolean isPods(ResourceType resource) {
        return resource.group().isEmpty() && resource.plural().equals("pods");
    }

    private static boolean isPriorityClasses(ResourceType resource) {
        return resource.group().equals(GROUP) && resource.plural().equals(PRIORITY_CLASSES);
    }

    // kube-apiserver's admission.NewForbidden: '<resource> "<name>" is forbidden: <reason>'.
    private static AdmissionResponse forbidden(AdmissionRequest request, String reason) {
        String name = request.name();
        if (name.isEmpty()) {
            JsonNode metadata = request.object().map(o -> o.path("metadata")).orElse(null);
            name = metadata == null ? "" : metadata.path("name").asText("");
            if (name.isEmpty() && metadata != null) {
                name = metadata.path("generateName").asText("");
            }
        }
        return AdmissionResponse.forbidden(request.resource().qualifiedName() + " \"" + name + "\" is forbidden: " + reason);
    }
}
