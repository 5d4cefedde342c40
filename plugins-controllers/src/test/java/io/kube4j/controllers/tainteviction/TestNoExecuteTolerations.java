package io.kube4j.controllers.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestNoExecuteTolerations {
    private static final Taint UNREACHABLE = new Taint("NoExecute", "node.kubernetes.io/unreachable", null, null);
    private static final Taint DEDICATED = new Taint("NoExecute", "dedicated", null, "db");

    private static Toleration toleration(String key, String operator, String value, String effect, Long seconds) {
        return new Toleration(effect, key, operator, seconds, value);
    }

    @Test
    void anUntoleratedTaintEvictsAtOnce() {
        assertThat(NoExecuteTolerations.evictionDelay(List.of(), List.of(UNREACHABLE))).contains(Duration.ZERO);
        assertThat(NoExecuteTolerations.evictionDelay(List.of(toleration("node.kubernetes.io/unreachable", "Exists", null,
                "NoSchedule", null)), List.of(UNREACHABLE))).as("a NoSchedule toleration").contains(Duration.ZERO);
        assertThat(NoExecuteTolerations.evictionDelay(List.of(toleration("node.kubernetes.io/unreachable", "Exists", null,
                "NoExecute", null)), List.of(UNREACHABLE, DEDICATED))).as("one of two tolerated").contains(Duration.ZERO);
    }

    @Test
    void theLeastTolerationSecondsOfTheMatchingTolerationsCounts() {
        List<Toleration> tolerations = List.of(
                toleration("node.kubernetes.io/unreachable", "Exists", null, "NoExecute", 300L),
                toleration("dedicated", "Equal", "db", null, 30L),
                toleration("other", "Exists", null, null, 1L));
        assertThat(NoExecuteTolerations.evictionDelay(tolerations, List.of(UNREACHABLE, DEDICATED))).contains(Duration.ofSeconds(30));
        assertThat(NoExecuteTolerations.evictionDelay(tolerations, List.of(UNREACHABLE))).contains(Duration.ofSeconds(300));
        assertThat(NoExecuteTolerations.evictionDelay(List.of(toleration("dedicated", "Equal", "web", null, null)),
                List.of(DEDICATED))).as("another value").contains(Duration.ZERO);
        assertThat(NoExecuteTolerations.evictionDelay(List.of(toleration(null, "Exists", null, null, 0L)),
                List.of(DEDICATED))).as("zero seconds").contains(Duration.ZERO);
    }

    @Test
    void toleratingForeverNeverEvicts() {
        assertThat(NoExecuteTolerations.evictionDelay(List.of(toleration(null, "Exists", null, null, null)),
                List.of(UNREACHABLE, DEDICATED))).isEqualTo(Optional.empty());
    }
}
