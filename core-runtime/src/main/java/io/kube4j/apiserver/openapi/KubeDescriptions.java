package io.kube4j.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Descriptions, required fields and patch keys of Kubernetes definitions, from the v1.14 OpenAPI
 * document (see the NOTICE beside the resource). Types that moved to a newer version since then
 * are looked up under the versions they had in v1.14.
 */
final class KubeDescriptions {
    private static final String RESOURCE = "kubernetes-v1.14-descriptions.json.gz";
    private static final List<String> OLDER_VERSIONS = List.of("v1", "v1beta2", "v1beta1", "v2beta2", "v2beta1");

    private final JsonNode definitions;

    private KubeDescriptions(JsonNode definitions) {
        this.definitions = definitions;
    }

    static KubeDescriptions load() {
        try (InputStream in = KubeDescriptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + RESOURCE);
            }
            return new KubeDescriptions(new ObjectMapper().readTree(new GZIPInputStream(in)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entry of a definition, or a missing node; {@code name} like io.k8s.api.core.v1.Pod. */
    JsonNode definition(String name) {
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
