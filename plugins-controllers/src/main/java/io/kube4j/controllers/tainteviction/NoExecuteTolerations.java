package io.kube4j.controllers.tainteviction;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How long a pod may stay on a node with NoExecute taints, from its tolerations: pure functions. */
final class NoExecuteTolerations {
    static final String NO_EXECUTE = "NoExecute";

    private NoExecuteTolerations() {
    }

    /**
     * How long after the taints came the pod is to be deleted: zero when some taint is not tolerated
     * (or a matching toleration has {@code tolerationSeconds <= 0}), the least {@code tolerationSeconds}
     * of the tolerations that match, or empty (never) when none of those has {@code tolerationSeconds}.
     */
    static Optional<Duration> evictionDelay(List<Toleration> tolerations, List<Taint> noExecuteTaints) {
        long min = -1;
        for (Taint taint : noExecuteTaints) {
            boolean tolerated = false;
            for (Toleration t : tolerations) {
                if (!tolerates(t, taint)) {
                    continue;
                }
                tolerated = true;
                if (t.getTolerationSeconds() != null) {
                    long seconds = t.getTolerationSeconds();
                    if (seconds <= 0) {
                        return Optional.of(Duration.ZERO);
                    }
                    min = min < 0 ? seconds : Math.min(min, seconds);
                }
            }
            if (!tolerated) {
                return Optional.of(Duration.ZERO);
            }
        }
        return min < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(min));
    }

    /** Core's Toleration.ToleratesTaint: effect (empty: all), key (empty with Exists: all), then operator. */
    static boolean tolerates(Toleration toleration, Taint taint) {
        String effect = Objects.toString(toleration.getEffect(), "");
        if (!effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String key = Objects.toString(toleration.getKey(), "");
        if (!key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        String operator = Objects.toString(toleration.getOperator(), "");
        if (operator.equals("Exists")) {
            return true;
        }
        if (operator.isEmpty() || operator.equals("Equal")) {
            return Objects.toString(toleration.getValue(), "").equals(Objects.toString(taint.getValue(), ""));
        }
        return false;
    }
}
