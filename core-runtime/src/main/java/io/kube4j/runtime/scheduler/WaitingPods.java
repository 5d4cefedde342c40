package io.kube4j.runtime.scheduler;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.Status;
import io.kube4j.api.scheduling.WaitingPod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The pods of one profile parked at Permit (kube-scheduler's waiting pods map): each keeps its
 * reservation until every plugin that answered WAIT allows it, one rejects it, or a plugin's
 * timeout passes. Thread-safe: plugins allow and reject from any thread.
 */
final class WaitingPods {
    private final Map<String, Parked> byUid = new ConcurrentHashMap<>();

    /** Parks {@code pod}, reserved on {@code nodeName}, until each of {@code timeouts}' plugins allows it. */
    void park(Pod pod, String nodeName, Map<String, Duration> timeouts) {
        Parked parked = new Parked(pod, nodeName, timeouts.keySet());
        byUid.put(uid(pod), parked);
        timeouts.forEach((plugin, timeout) -> CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .execute(() -> parked.reject(plugin, "rejected due to timeout after waiting " + format(timeout)
                        + " at plugin " + plugin)));
    }

    Optional<WaitingPod> get(String uid) {
        return Optional.ofNullable(byUid.get(uid));
    }

    List<WaitingPod> all() {
        return List.copyOf(byUid.values());
    }

    /**
     * Blocks until {@code pod}'s fate at Permit is decided and forgets it: SUCCESS once allowed,
     * the rejection otherwise. SUCCESS at once for a pod that is not parked.
     */
    Status await(Pod pod) throws InterruptedException {
        Parked parked = byUid.get(uid(pod));
        if (parked == null) {
            return Status.success();
        }
        try {
            return parked.decision.get();
        } catch (ExecutionException e) {
            return Status.error(e.getCause());
        } finally {
            byUid.remove(uid(pod), parked);
        }
    }

    /** Rejects and forgets {@code pod} if it is parked (nobody will wait on it). */
    void cancel(Pod pod, String message) {
        Parked parked = byUid.remove(uid(pod));
        if (parked != null) {
            parked.reject("", message);
        }
    }

    /** Rejects every parked pod (the scheduler stops or loses its lease). */
    void rejectAll(String message) {
        byUid.values().forEach(p -> p.reject("", message));
    }

    private static String uid(Pod pod) {
        return pod.getMetadata().getUid() == null ? "" : pod.getMetadata().getUid();
    }

    /** As Go prints a duration: 500ms, 10s, 1m30s. */
    static String format(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        String millis = d.toMillisPart() == 0 ? "" : String.format(".%03d", d.toMillisPart()).replaceAll("0+$", "");
        return (s >= 60 ? s / 60 + "m" : "") + (s % 60) + millis + "s";
    }

    private static final class Parked implements WaitingPod {
        private final Pod pod;
        private final String nodeName;
        private final Set<String> pending = ConcurrentHashMap.newKeySet();
        private final CompletableFuture<Status> decision = new CompletableFuture<>();

        Parked(Pod pod, String nodeName, Set<String> plugins) {
            this.pod = requireNonNull(pod, "pod is null");
            this.nodeName = requireNonNull(nodeName, "nodeName is null");
            this.pending.addAll(plugins);
        }

        @Override
        public Pod pod() {
            return pod;
        }

        @Override
        public String nodeName() {
            return nodeName;
        }

        @Override
        public Set<String> pendingPlugins() {
            return Set.copyOf(pending);
        }

        @Override
        public void allow(String pluginName) {
            pending.remove(pluginName);
            if (pending.isEmpty()) {
                decision.complete(Status.success());
            }
        }

        @Override
        public void reject(String pluginName, String message) {
            Status rejection = Status.unschedulable(message);
            decision.complete(pluginName.isEmpty() ? rejection : rejection.withFailedPlugin(pluginName));
        }
    }
}
