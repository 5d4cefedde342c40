package io.kube4j.controllers.endpoints;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Map;
import java.util.OptionalInt;

/** What both endpoint controllers ask of a pod, as kube's {@code pkg/controller/util/endpoint}. */
final class PodEndpoints {
    private PodEndpoints() {
    }

    /** Whether a Service's selector (a plain label map) selects {@code labels}; a Service without one selects nothing here. */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())));
    }

    /** Whether the controller manages {@code service}'s endpoints: it has a selector and is not an ExternalName. */
    static boolean managed(Service service) {
        return service.getSpec() != null && service.getSpec().getSelector() != null && !service.getSpec().getSelector().isEmpty()
                && !"ExternalName".equals(service.getSpec().getType());
    }

    /**
     * Kube's {@code ShouldPodBeInEndpoints}: the pod has an IP, is not terminating unless
     * {@code includeTerminating}, and is not finished for good (Succeeded or Failed under restartPolicy
     * Never, Succeeded under OnFailure).
     */
    static boolean shouldBeInEndpoints(Pod pod, boolean includeTerminating) {
        if (pod.getStatus() == null || pod.getStatus().getPodIP() == null || pod.getStatus().getPodIP().isEmpty()) {
            return false;
        }
        if (!includeTerminating && pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        String phase = pod.getStatus().getPhase();
        String restart = pod.getSpec().getRestartPolicy();
        if ("Never".equals(restart)) {
            return !"Failed".equals(phase) && !"Succeeded".equals(phase);
        }
        if ("OnFailure".equals(restart)) {
            return !"Succeeded".equals(phase);
        }
        return true;
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /**
     * The pod's port for {@code port}, as kube's {@code podutil.FindPort}: a number is taken as it is, a
     * name is looked up among the containers' ports of the same protocol; empty when no container has it.
     */
    static OptionalInt findPort(Pod pod, ServicePort port) {
        IntOrString target = port.getTargetPort();
        if (target == null) {
            return port.getPort() == null ? OptionalInt.empty() : OptionalInt.of(port.getPort());
        }
        if (target.getIntVal() != null) {
            return OptionalInt.of(target.getIntVal());
        }
        String name = target.getStrVal();
        if (name == null || name.isEmpty()) {
            return port.getPort() == null ? OptionalInt.empty() : OptionalInt.of(port.getPort());
        }
        try {
            return OptionalInt.of(Integer.parseInt(name));
        } catch (NumberFormatException notANumber) {
            // a port name
        }
        String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
        for (var container : pod.getSpec().getContainers()) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort cp : container.getPorts()) {
                String cpProtocol = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
                if (name.equals(cp.getName()) && protocol.equals(cpProtocol) && cp.getContainerPort() != null) {
                    return OptionalInt.of(cp.getContainerPort());
                }
            }
        }
        return OptionalInt.empty();
    }

    static ObjectReference targetRef(Pod pod) {
        return new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build();
    }

    /** The pod's hostname in the Service's DNS, when it asks for one under that Service's name as subdomain. */
    static String hostname(Pod pod, Service service) {
        String hostname = pod.getSpec().getHostname();
        return hostname != null && !hostname.isEmpty() && service.getMetadata().getName().equals(pod.getSpec().getSubdomain())
                ? hostname : null;
    }

    static boolean headless(Service service) {
        return "None".equals(service.getSpec().getClusterIP());
    }
}
