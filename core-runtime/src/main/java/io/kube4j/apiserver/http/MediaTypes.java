package io.kube4j.apiserver.http;

import io.kube4j.api.client.PatchType;
import io.kube4j.apiserver.protobuf.ProtobufCodec;
import java.util.Locale;
import java.util.Optional;

/** Content negotiation: what a request body is, and what the client accepts back. */
final class MediaTypes {
    static final String JSON = "application/json";
    static final String YAML = "application/yaml";

    private MediaTypes() {
    }

    /** What the client wants back. */
    enum Answer { JSON, PROTOBUF, TABLE, YAML }

    static Answer answer(String accept) {
        if (accept == null || accept.isBlank()) {
            return Answer.JSON;
        }
        for (String part : accept.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.contains("as=table")) {
                if (p.contains("g=meta.k8s.io") && (p.contains("v=v1;") || p.endsWith("v=v1") || p.contains("v=v1beta1"))) {
                    return Answer.TABLE;
                }
                continue;
            }
            if (p.startsWith(ProtobufCodec.MEDIA_TYPE)) {
                return Answer.PROTOBUF;
            }
            if (p.startsWith(JSON) || p.startsWith("*/*") || p.startsWith("application/*")) {
                return Answer.JSON;
            }
            if (p.startsWith(YAML)) {
                return Answer.YAML;
            }
        }
        return Answer.JSON;
    }

    static boolean wantsAggregatedDiscovery(String accept) {
        if (accept == null) {
            return false;
        }
        String first = accept.split(",")[0].toLowerCase(Locale.ROOT);
        return first.contains("as=apigroupdiscoverylist") && first.contains("v=v2") && !first.contains("v=v2beta1");
    }

    static Optional<PatchType> patchType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String ct = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        for (PatchType t : PatchType.values()) {
            if (t.contentType().equals(ct)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(ProtobufCodec.MEDIA_TYPE);
    }
}
