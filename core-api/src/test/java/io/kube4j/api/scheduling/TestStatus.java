package io.kube4j.api.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestStatus {

    @Test
    void successIsNeitherRejectedNorSkipped() {
        assertThat(Status.success().isSuccess()).isTrue();
        assertThat(Status.success().isRejected()).isFalse();
        assertThat(Status.skip().isSkip()).isTrue();
        assertThat(Status.skip().isSuccess()).isFalse();
    }

    @Test
    void rejectionsAreTheThreeTurnDownCodes() {
        assertThat(Status.unschedulable("Insufficient cpu").isRejected()).isTrue();
        assertThat(Status.unschedulableAndUnresolvable("node(s) had untolerated taint").isRejected()).isTrue();
        assertThat(Status.of(Status.Code.PENDING).isRejected()).isTrue();
        assertThat(Status.error("boom").isRejected()).isFalse();
        assertThat(Status.of(Status.Code.WAIT).isWait()).isTrue();
    }

    @Test
    void messageJoinsReasons() {
        assertThat(Status.unschedulable("Insufficient cpu", "Insufficient memory").message())
                .isEqualTo("Insufficient cpu, Insufficient memory");
    }

    @Test
    void errorNeedsAReason() {
        assertThatThrownBy(() -> Status.of(Status.Code.ERROR)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Status.error(new IllegalStateException()).reasons()).containsExactly("java.lang.IllegalStateException");
        assertThat(Status.error(new IllegalStateException("no snapshot")).message()).isEqualTo("no snapshot");
    }

    @Test
    void failedPluginIsRecordedAndNeverBlank() {
        Status status = Status.unschedulable("Insufficient cpu").withFailedPlugin("NodeResourcesFit");
        assertThat(status.failedPlugin()).contains("NodeResourcesFit");
        assertThat(status.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThatThrownBy(() -> new Status(Status.Code.UNSCHEDULABLE, List.of(), Optional.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reasonsAreCopied() {
        List<String> reasons = new java.util.ArrayList<>(List.of("a"));
        Status status = new Status(Status.Code.UNSCHEDULABLE, reasons, Optional.empty());
        reasons.add("b");
        assertThat(status.reasons()).containsExactly("a");
    }

    @Test
    void permitResultsPairWaitWithATimeout() {
        assertThat(PermitResult.waitFor(java.time.Duration.ofSeconds(5)).timeout()).hasSeconds(5);
        assertThat(PermitResult.waitFor(java.time.Duration.ofHours(1)).timeout()).isEqualTo(PermitResult.MAX_TIMEOUT);
        assertThatThrownBy(() -> PermitResult.waitFor(java.time.Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PermitResult.deny(Status.success())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PermitResult(Status.skip(), java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PermitResult.allow().status().isSuccess()).isTrue();
    }
}
