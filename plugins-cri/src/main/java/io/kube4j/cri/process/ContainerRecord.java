package io.kube4j.cri.process;

import java.util.Map;

/**
 * What the {@code process} runtime keeps of one container in {@code containers/<id>/state.json},
 * enough to report it and to watch it again after a restart. Times are RFC 3339 strings, empty
 * when unset; {@code pid} is the supervising wrapper's (the leader of the container's process
 * group), 0 before start, and {@code pidStartTime} its start time in {@code /proc/<pid>/stat}.
 */
record ContainerRecord(String id, String sandboxId, String name, int attempt, String image, String imageRef,
                       Map<String, String> labels, Map<String, String> annotations, String createdAt, String logPath,
                       String workingDir, Map<String, String> env, long pid, long pidStartTime, String state,
                       String startedAt, String finishedAt, int exitCode, String reason, String message) {
    ContainerRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        env = env == null ? Map.of() : Map.copyOf(env);
        startedAt = startedAt == null ? "" : startedAt;
        finishedAt = finishedAt == null ? "" : finishedAt;
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
    }
}
