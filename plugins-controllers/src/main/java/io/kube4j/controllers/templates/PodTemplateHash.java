package io.kube4j.controllers.templates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;

/**
 * The hash that names a pod template's revision: the {@code pod-template-hash} of a Deployment's
 * ReplicaSets and the {@code controller-revision-hash} of a DaemonSet's pods. FNV-1a (32 bits) of
 * the template's JSON and a collision count, spelled in kube's alphabet of characters that make no
 * words.
 */
public final class PodTemplateHash {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

    private PodTemplateHash() {
    }

    /** The hash of {@code template} with {@code collisionCount}. */
    public static String of(PodTemplateSpec template, int collisionCount) {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(template) + "/" + collisionCount).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a pod template: " + e.getMessage(), e);
        }
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        String digits = Integer.toUnsignedString(hash);
        StringBuilder out = new StringBuilder();
        for (char c : digits.toCharArray()) {
            out.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
        }
        return out.toString();
    }
}
