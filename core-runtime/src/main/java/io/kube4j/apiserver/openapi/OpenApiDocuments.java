package io.kube4j.apiserver.openapi;

import io.kube4j.api.resource.ResourceRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** STUB until the OpenAPI work lands. */
public final class OpenApiDocuments {
    public OpenApiDocuments(ResourceRegistry registry) {
    }

    public byte[] v2() {
        return "{\"swagger\":\"2.0\",\"info\":{\"title\":\"kube4j\",\"version\":\"v1.32.0\"},\"paths\":{},\"definitions\":{}}"
                .getBytes(StandardCharsets.UTF_8);
    }

    public byte[] v3Index() {
        return "{\"paths\":{}}".getBytes(StandardCharsets.UTF_8);
    }

    public Optional<byte[]> v3(String groupVersionPath) {
        return Optional.empty();
    }

    public String v3Hash(String groupVersionPath) {
        return "";
    }
}
