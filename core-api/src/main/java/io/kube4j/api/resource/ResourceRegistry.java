package io.kube4j.api.resource;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The resource types the API server serves, looked up by URL (group, version, plural), by kind,
 * by Java class, or by any name kubectl accepts (plural, singular, short name). Immutable.
 */
public final class ResourceRegistry {
    private final List<ResourceType> types;
    private final Map<String, ResourceType> byGvr = new LinkedHashMap<>();
    private final Map<String, ResourceType> byGvk = new LinkedHashMap<>();
    private final Map<Class<?>, ResourceType> byClass = new LinkedHashMap<>();

    public ResourceRegistry(List<ResourceType> types) {
        this.types = List.copyOf(types);
        for (ResourceType t : this.types) {
            if (byGvr.put(gvr(t.group(), t.version(), t.plural()), t) != null) {
                throw new IllegalArgumentException("resource registered twice: " + t.qualifiedName() + " " + t.version());
            }
            byGvk.put(gvk(t.group(), t.version(), t.kind()), t);
            byClass.putIfAbsent(t.javaType(), t);
        }
    }

    /** The built-in Kubernetes types. */
    public static ResourceRegistry builtIn() {
        return new ResourceRegistry(BuiltInTypes.ALL);
    }

    public List<ResourceType> all() {
        return types;
    }

    public Optional<ResourceType> byResource(String group, String version, String plural) {
        return Optional.ofNullable(byGvr.get(gvr(group, version, plural)));
    }

    public Optional<ResourceType> byKind(String group, String version, String kind) {
        return Optional.ofNullable(byGvk.get(gvk(group, version, kind)));
    }

    /** By {@code apiVersion} ("v1", "apps/v1") and kind. */
    public Optional<ResourceType> byApiVersionKind(String apiVersion, String kind) {
        requireNonNull(apiVersion, "apiVersion is null");
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? byKind("", apiVersion, kind) : byKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    }

    public <T extends HasMetadata> ResourceType byClass(Class<T> type) {
        ResourceType t = byClass.get(type);
        if (t == null) {
            throw new IllegalArgumentException("not a registered resource type: " + type.getName());
        }
        return t;
    }

    /** Every group that has at least one type, in registration order, each with its versions. */
    public Map<String, List<String>> groupVersions() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (ResourceType t : types) {
            List<String> versions = result.computeIfAbsent(t.group(), g -> new ArrayList<>());
            if (!versions.contains(t.version())) {
                versions.add(t.version());
            }
        }
        result.replaceAll((g, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(result);
    }

    /** The types of one group and version. */
    public List<ResourceType> inGroupVersion(String group, String version) {
        return types.stream().filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    }

    private static String gvr(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }

    private static String gvk(String group, String version, String kind) {
        return group + "/" + version + "/" + kind.toLowerCase(Locale.ROOT);
    }
}
