package io.kube4j.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Descriptions, required fields and patch keys of Kubernetes definitions, from the v1.14 OpenAPI
 * document, with field descriptions added since then taken from the v1.22 Python client's models
 * (see the NOTICE beside the resources). Types that moved to a newer version since v1.14 are looked
 * up under the versions they had then.
 */
final class KubeDescriptions {
    private static final String RESOURCE = "kubernetes-v1.14-descriptions.json.gz";
    private static final String NEWER_RESOURCE = "kubernetes-v1.22-descriptions.json.gz";
    private static final List<String> OLDER_VERSIONS = List.of("v1", "v1beta2", "v1beta1", "v2beta2", "v2beta1");

    private final JsonNode definitions;
    /** Keyed by python client class: {@code v1.PodSpec}, or {@code events.v1.Event} where names clash. */
    private final JsonNode newer;

    private KubeDescriptions(JsonNode definitions, JsonNode newer) {
        this.definitions = definitions;
        this.newer = newer;
    }

    static KubeDescriptions load() {
        return new KubeDescriptions(read(RESOURCE), read(NEWER_RESOURCE));
    }

    private static JsonNode read(String resource) {
        try (InputStream in = KubeDescriptions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + resource);
            }
            return new ObjectMapper().readTree(new GZIPInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The entry of a definition, or a missing node; {@code name} like io.k8s.api.core.v1.Pod.
     * Fields the v1.14 entry does not describe get the v1.22 description when there is one.
     */
    JsonNode definition(String name) {
        JsonNode old = fromV114(name);
        JsonNode added = fromV122(name).path("p");
        if (added.isEmpty()) {
            return old;
        }
        ObjectNode merged = old.isObject() ? ((ObjectNode) old).deepCopy() : JsonNodeFactory.instance.objectNode();
        ObjectNode properties = merged.has("p") ? (ObjectNode) merged.get("p") : merged.putObject("p");
        added.fields().forEachRemaining(e -> {
            JsonNode known = properties.path(e.getKey());
            if (!known.has("d")) {
                ObjectNode property = known.isObject() ? (ObjectNode) known : properties.putObject(e.getKey());
                property.set("d", e.getValue());
            }
        });
        return merged;
    }

    private JsonNode fromV122(String name) {
        int kindDot = name.lastIndexOf('.');
        int versionDot = name.lastIndexOf('.', kindDot - 1);
        if (kindDot < 0 || versionDot < 0) {
            return MissingNode.getInstance();
        }
        String versionAndKind = name.substring(versionDot + 1);
        if (name.startsWith("io.k8s.api.")) {
            String group = name.substring("io.k8s.api.".length(), versionDot);
            JsonNode qualified = newer.path(group + "." + versionAndKind);
            if (!qualified.isMissingNode()) {
                return qualified;
            }
        }
        return newer.path(versionAndKind);
    }

    private JsonNode fromV114(String name) {
        JsonNode exact = definitions.path(name);
        if (!exact.isMissingNode()) {
            return exact;
        }
        int kindDot = name.lastIndexOf('.');
        int versionDot = name.lastIndexOf('.', kindDot - 1);
        if (kindDot < 0 || versionDot < 0 || !name.startsWith("io.k8s.api.")) {
            return MissingNode.getInstance();
        }
        String group = name.substring(0, versionDot);
        String kind = name.substring(kindDot + 1);
        for (String version : OLDER_VERSIONS) {
            JsonNode older = definitions.path(group + "." + version + "." + kind);
            if (!older.isMissingNode()) {
                return older;
            }
        }
        return definitions.path("io.k8s.api.extensions.v1beta1." + kind);
    }
}
