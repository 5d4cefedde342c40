package io.kube4j.api.resource;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Set;

/**
 * One kind of object the API server serves, with what discovery says of it.
 *
 * @param group        API group, "" for core
 * @param version      API version, e.g. v1
 * @param kind         e.g. Deployment
 * @param plural       resource name in URLs, e.g. deployments
 * @param singular     e.g. deployment
 * @param shortNames   e.g. deploy
 * @param namespaced   whether objects live in a namespace
 * @param verbs        the verbs discovery lists
 * @param subresources e.g. status, scale
 * @param categories   e.g. all
 * @param javaType     the fabric8 model class
 * @param persisted    false for review types that are evaluated, not stored (SelfSubjectAccessReview)
 */
public record ResourceType(String group, String version, String kind, String plural, String singular,
                           List<String> shortNames, boolean namespaced, Set<String> verbs, Set<String> subresources,
                           List<String> categories, Class<? extends HasMetadata> javaType, boolean persisted) {

    public static final Set<String> ALL_VERBS =
            Set.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    public ResourceType {
        requireNonNull(group, "group is null");
        requireNonNull(version, "version is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(plural, "plural is null");
        requireNonNull(singular, "singular is null");
        shortNames = List.copyOf(shortNames);
        verbs = Set.copyOf(verbs);
        subresources = Set.copyOf(subresources);
        categories = List.copyOf(categories);
        requireNonNull(javaType, "javaType is null");
    }

    /** {@code v1} for core, else {@code group/version}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** e.g. {@code DeploymentList}. */
    public String listKind() {
        return kind + "List";
    }

    /** {@code plural} for core, else {@code plural.group}: the name RBAC and errors use. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The URL path of the collection, e.g. {@code /apis/apps/v1/namespaces/ns/deployments}. */
    public String collectionPath(String namespace) {
        String root = group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version;
        return namespaced && !namespace.isEmpty() ? root + "/namespaces/" + namespace + "/" + plural : root + "/" + plural;
    }

    /**
     * The store key prefix of this resource, as kube-apiserver lays keys out:
     * {@code /registry/<group-qualified resource>/}. Core and apps types use the bare plural.
     */
    public String keyPrefix() {
        return "/registry/" + storageName() + "/";
    }

    /** The store key of one object. */
    public String key(String namespace, String name) {
        return namespaced ? keyPrefix() + namespace + "/" + name : keyPrefix() + name;
    }

    private String storageName() {
        // kube-apiserver keeps built-in resources under their plural alone (services under
        // services/specs). events.k8s.io Events are stored apart from core Events until the two
        // versions are converted into one another.
        if (group.isEmpty() && plural.equals("services")) {
            return "services/specs";
        }
        if (group.equals("events.k8s.io")) {
            return group + "/" + plural;
        }
        return plural;
    }

    /** Builds the common case: all verbs, persisted. */
    public static Builder builder(String group, String version, String kind, String plural,
                                  Class<? extends HasMetadata> javaType) {
        return new Builder(group, version, kind, plural, javaType);
    }

    /** Fluent construction for the registry table. */
    public static final class Builder {
        private final String group;
        private final String version;
        private final String kind;
        private final String plural;
        private final Class<? extends HasMetadata> javaType;
        private List<String> shortNames = List.of();
        private boolean namespaced = true;
        private Set<String> verbs = ALL_VERBS;
        private Set<String> subresources = Set.of();
        private List<String> categories = List.of();
        private boolean persisted = true;

        private Builder(String group, String version, String kind, String plural, Class<? extends HasMetadata> javaType) {
            this.group = group;
            this.version = version;
            this.kind = kind;
            this.plural = plural;
            this.javaType = javaType;
        }

        public Builder shortNames(String... names) {
            this.shortNames = List.of(names);
            return this;
        }

        public Builder clusterScoped() {
            this.namespaced = false;
            return this;
        }

        public Builder verbs(String... verbs) {
            this.verbs = Set.of(verbs);
            return this;
        }

        public Builder subresources(String... subresources) {
            this.subresources = Set.of(subresources);
            return this;
        }

        public Builder categories(String... categories) {
            this.categories = List.of(categories);
            return this;
        }

        /** A review type: evaluated on create, never stored. */
        public Builder virtual() {
            this.persisted = false;
            this.verbs = Set.of("create");
            return this;
        }

        public ResourceType build() {
            return new ResourceType(group, version, kind, plural, kind.toLowerCase(java.util.Locale.ROOT),
                    shortNames, namespaced, verbs, subresources, categories, javaType, persisted);
        }
    }
}
