package io.kube4j.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The discovery documents kubectl reads first: legacy ({@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/<g>/<v>}) and aggregated ({@code apidiscovery.k8s.io/v2}, asked
 * for with {@code Accept: ...;as=APIGroupDiscoveryList}). Built once from the registry.
 */
public final class Discovery {
    public static final String AGGREGATED_MEDIA_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ResourceRegistry registry;
    private final String serverAddress;

    public Discovery(ResourceRegistry registry, String serverAddress) {
        this.registry = registry;
        this.serverAddress = serverAddress;
    }

    /** {@code /api}: APIVersions. */
    public ObjectNode coreVersions() {
        ObjectNode n = F.objectNode().put("kind", "APIVersions");
        n.putArray("versions").add("v1");
        n.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return n;
    }

    /** {@code /apis}: APIGroupList of every non-core group. */
    public ObjectNode groups() {
        ObjectNode n = F.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = n.putArray("groups");
        for (Map.Entry<String, List<String>> g : registry.groupVersions().entrySet()) {
            if (!g.getKey().isEmpty()) {
                groups.add(group(g.getKey(), g.getValue()));
            }
        }
        return n;
    }

    /** {@code /apis/<group>}: one APIGroup. */
    public Optional<ObjectNode> group(String group) {
        List<String> versions = registry.groupVersions().get(group);
        if (versions == null || group.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode n = group(group, versions).put("kind", "APIGroup").put("apiVersion", "v1");
        return Optional.of(n);
    }

    private ObjectNode group(String name, List<String> versions) {
        ObjectNode g = F.objectNode().put("name", name);
        ArrayNode vs = g.putArray("versions");
        for (String v : versions) {
            vs.addObject().put("groupVersion", name + "/" + v).put("version", v);
        }
        g.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
        return g;
    }

    /** {@code /api/v1} or {@code /apis/<g>/<v>}: APIResourceList. */
    public Optional<ObjectNode> resources(String group, String version) {
        List<ResourceType> types = registry.inGroupVersion(group, version);
        if (types.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode n = F.objectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode list = n.putArray("resources");
        for (ResourceType t : types) {
            ObjectNode r = list.addObject().put("name", t.plural()).put("singularName", t.singular())
                    .put("namespaced", t.namespaced()).put("kind", t.kind());
            verbs(r.putArray("verbs"), t.verbs());
            if (!t.shortNames().isEmpty()) {
                t.shortNames().forEach(r.putArray("shortNames")::add);
            }
            if (!t.categories().isEmpty()) {
                t.categories().forEach(r.putArray("categories")::add);
            }
            for (String sub : new TreeSet<>(t.subresources())) {
                ObjectNode s = list.addObject().put("name", t.plural() + "/" + sub).put("singularName", "")
                        .put("namespaced", t.namespaced()).put("kind", subresourceKind(t, sub));
                String group2 = subresourceGroup(t, sub);
                if (group2 != null) {
                    s.put("group", group2).put("version", subresourceVersion(sub));
                }
                verbs(s.putArray("verbs"), subresourceVerbs(sub));
            }
        }
        return Optional.of(n);
    }

    /** The aggregated document of {@code /api} (core only) or {@code /apis} (every other group). */
    public ObjectNode aggregated(boolean core) {
        ObjectNode n = F.objectNode().put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/v2");
        n.putObject("metadata");
        ArrayNode items = n.putArray("items");
        for (Map.Entry<String, List<String>> g : registry.groupVersions().entrySet()) {
            if (g.getKey().isEmpty() != core) {
                continue;
            }
            ObjectNode item = items.addObject();
            ObjectNode meta = item.putObject("metadata");
            meta.put("name", g.getKey());
            meta.put("creationTimestamp", (String) null);
            ArrayNode versions = item.putArray("versions");
            for (String v : g.getValue()) {
                ObjectNode ver = versions.addObject().put("version", v);
                ArrayNode resources = ver.putArray("resources");
                for (ResourceType t : registry.inGroupVersion(g.getKey(), v)) {
                    ObjectNode r = resources.addObject().put("resource", t.plural());
                    r.putObject("responseKind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
                    r.put("scope", t.namespaced() ? "Namespaced" : "Cluster").put("singularResource", t.singular());
                    verbs(r.putArray("verbs"), t.verbs());
                    if (!t.shortNames().isEmpty()) {
                        t.shortNames().forEach(r.putArray("shortNames")::add);
                    }
                    if (!t.categories().isEmpty()) {
                        t.categories().forEach(r.putArray("categories")::add);
                    }
                    if (!t.subresources().isEmpty()) {
                        ArrayNode subs = r.putArray("subresources");
                        for (String sub : new TreeSet<>(t.subresources())) {
                            ObjectNode s = subs.addObject().put("subresource", sub);
                            String sg = subresourceGroup(t, sub);
                            s.putObject("responseKind").put("group", sg == null ? t.group() : sg)
                                    .put("version", sg == null ? t.version() : subresourceVersion(sub))
                                    .put("kind", subresourceKind(t, sub));
                            verbs(s.putArray("verbs"), subresourceVerbs(sub));
                        }
                    }
                }
                ver.put("freshness", "Current");
            }
        }
        return n;
    }

    private static void verbs(ArrayNode out, java.util.Set<String> verbs) {
        new TreeSet<>(verbs).forEach(out::add);
    }

    private static java.util.Set<String> subresourceVerbs(String sub) {
        return switch (sub) {
            case "binding", "eviction", "token" -> java.util.Set.of("create");
            case "log" -> java.util.Set.of("get");
            case "finalize" -> java.util.Set.of("update");
            default -> java.util.Set.of("get", "patch", "update");
        };
    }

    private static String subresourceKind(ResourceType t, String sub) {
        return switch (sub) {
            case "scale" -> "Scale";
            case "binding" -> "Binding";
            case "eviction" -> "Eviction";
            case "token" -> "TokenRequest";
            case "log" -> "Pod";
            default -> t.kind();
        };
    }

    private static String subresourceGroup(ResourceType t, String sub) {
        return switch (sub) {
            case "scale" -> "autoscaling";
            case "eviction" -> "policy";
            case "token" -> "authentication.k8s.io";
            default -> null;
        };
    }

    private static String subresourceVersion(String sub) {
        return sub.equals("scale") ? "v1" : "v1";
    }
}
