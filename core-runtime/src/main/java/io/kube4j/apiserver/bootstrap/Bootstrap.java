package io.kube4j.apiserver.bootstrap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.rest.ApiError;
import io.kube4j.apiserver.rest.ObjectService;
import io.kube4j.apiserver.rest.RequestContext;
import java.util.List;

/**
 * What kube-apiserver's bootstrap controller makes sure of at every start: the system
 * namespaces, the system PriorityClasses, and the {@code default/kubernetes} Service (the first
 * address of the service range, port 443) with Endpoints and an EndpointSlice pointing at this
 * server's advertise address and port. With several API servers the last one started is the one
 * listed (kube-apiserver's lease reconciler, which lists every live one, is not done).
 */
public final class Bootstrap {
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
    /** kube's {@code SystemPriorityClasses}, which the Priority admission plugin keeps from being deleted. */
    public static final List<SystemPriorityClass> SYSTEM_PRIORITY_CLASSES = List.of(
            new SystemPriorityClass("system-node-critical", 2_000_001_000,
                    "Used for system critical pods that must not be moved from their current node."),
            new SystemPriorityClass("system-cluster-critical", 2_000_000_000,
                    "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."));

    /** A PriorityClass the API server creates at every start. */
    public record SystemPriorityClass(String name, int value, String description) {
    }
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Bootstrap() {
    }

    public static void run(ObjectService objects, String kubernetesServiceIp, String advertiseIp, int advertisePort) {
        RequestContext ctx = new RequestContext(UserInfo.of("system:apiserver", List.of(UserInfo.GROUP_MASTERS)),
                false, "kube-apiserver", "Ignore");
        ResourceRegistry reg = objects.registry();
        ResourceType namespaces = reg.byResource("", "v1", "namespaces").orElseThrow();
        for (String ns : SYSTEM_NAMESPACES) {
            if (objects.cache().get(namespaces, "", ns).isEmpty()) {
                ObjectNode o = F.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
                o.putObject("metadata").put("name", ns).putObject("labels").put("kubernetes.io/metadata.name", ns);
                createIgnoringExists(objects, namespaces, "", o, ctx);
            }
        }
        ResourceType priorityClasses = reg.byResource("scheduling.k8s.io", "v1", "priorityclasses").orElseThrow();
        for (SystemPriorityClass pc : SYSTEM_PRIORITY_CLASSES) {
            if (objects.cache().get(priorityClasses, "", pc.name()).isEmpty()) {
                ObjectNode o = F.objectNode().put("apiVersion", "scheduling.k8s.io/v1").put("kind", "PriorityClass");
                o.putObject("metadata").put("name", pc.name());
                o.put("value", pc.value()).put("description", pc.description());
                createIgnoringExists(objects, priorityClasses, "", o, ctx);
            }
        }
        ResourceType services = reg.byResource("", "v1", "services").orElseThrow();
        var existing = objects.cache().get(services, "default", "kubernetes");
        if (existing.isEmpty()) {
            ObjectNode svc = F.objectNode().put("apiVersion", "v1").put("kind", "Service");
            ObjectNode meta = svc.putObject("metadata").put("name", "kubernetes").put("namespace", "default");
            meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
            ObjectNode spec = svc.putObject("spec").put("type", "ClusterIP").put("clusterIP", kubernetesServiceIp)
                    .put("sessionAffinity", "None");
            spec.set("ports", kubernetesPorts(advertisePort));
            createIgnoringExists(objects, services, "default", svc, ctx);
        } else if (!existing.get().object().path("spec").path("ports").equals(kubernetesPorts(advertisePort))) {
            // kube's bootstrap controller puts the port back when it differs (an API server now on another port)
            ObjectNode svc = existing.get().object().deepCopy();
            ((ObjectNode) svc.with("spec")).set("ports", kubernetesPorts(advertisePort));
            ((ObjectNode) svc.path("metadata")).remove("resourceVersion");
            objects.update(services, "default", "kubernetes", svc, "", ctx);
        }
        ResourceType endpoints = reg.byResource("", "v1", "endpoints").orElseThrow();
        ObjectNode ep = F.objectNode().put("apiVersion", "v1").put("kind", "Endpoints");
        ep.putObject("metadata").put("name", "kubernetes").put("namespace", "default")
                .putObject("labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = ep.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", advertiseIp);
        subset.putArray("ports").addObject().put("name", "https").put("port", advertisePort).put("protocol", "TCP");
        if (objects.cache().get(endpoints, "default", "kubernetes").isEmpty()) {
            createIgnoringExists(objects, endpoints, "default", ep, ctx);
        } else {
            objects.update(endpoints, "default", "kubernetes", ep, "", ctx);
        }
        // kube-apiserver writes the slice itself too (the mirroring controller skips this Endpoints)
        ResourceType slices = reg.byResource("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
        ObjectNode slice = F.objectNode().put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
        slice.putObject("metadata").put("name", "kubernetes").put("namespace", "default")
                .putObject("labels").put("kubernetes.io/service-name", "kubernetes");
        slice.put("addressType", "IPv4");
        ObjectNode endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(advertiseIp);
        endpoint.putObject("conditions").put("ready", true);
        slice.putArray("ports").addObject().put("name", "https").put("port", advertisePort).put("protocol", "TCP");
        if (objects.cache().get(slices, "default", "kubernetes").isEmpty()) {
            createIgnoringExists(objects, slices, "default", slice, ctx);
        } else {
            objects.update(slices, "default", "kubernetes", slice, "", ctx);
        }
    }

    private static ArrayNode kubernetesPorts(int advertisePort) {
        ArrayNode ports = F.arrayNode();
        ports.addObject().put("name", "https").put("port", 443).put("protocol", "TCP").put("targetPort", advertisePort);
        return ports;
    }

    private static void createIgnoringExists(ObjectService objects, ResourceType type, String ns, ObjectNode o,
                                             RequestContext ctx) {
        try {
            objects.create(type, ns, o, ctx);
        } catch (ApiError e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }
}
