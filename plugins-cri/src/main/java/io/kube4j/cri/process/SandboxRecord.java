package io.kube4j.cri.process;

import java.util.Map;

/**
 * What the {@code process} runtime keeps of one sandbox in {@code sandboxes/<id>/sandbox.json}.
 * {@code hostNetwork} stands for the sandbox's Linux config, of which nothing else matters to a
 * runtime that isolates nothing.
 */
record SandboxRecord(String id, String name, String uid, String namespace, int attempt, String hostname,
                     String logDirectory, Map<String, String> labels, Map<String, String> annotations,
                     boolean hostNetwork, String createdAt, String state) {
    SandboxRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
