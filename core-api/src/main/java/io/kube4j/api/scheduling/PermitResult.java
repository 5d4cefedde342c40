package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a PermitPlugin answers: allow (SUCCESS), deny (a rejection or ERROR), or WAIT up to
 * {@code timeout} for someone to {@link WaitingPod#allow allow} or {@link WaitingPod#reject reject}
 * the pod. A wait that times out rejects the pod.
 *
 * @param timeout positive with WAIT, {@link Duration#ZERO} otherwise
 */
public record PermitResult(Status status, Duration timeout) {

    /** The longest a pod may wait at Permit, as in kube-scheduler. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);

    public PermitResult {
        requireNonNull(status, "status is null");
        requireNonNull(timeout, "timeout is null");
        if (status.isWait()) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a WAIT needs a positive timeout: " + timeout);
            }
            if (timeout.compareTo(MAX_TIMEOUT) > 0) {
                timeout = MAX_TIMEOUT;
            }
        } else if (!timeout.isZero()) {
            throw new IllegalArgumentException("only WAIT has a timeout, not " + status.code());
        }
        if (status.isSkip()) {
            throw new IllegalArgumentException("Permit cannot SKIP; allow instead");
        }
    }

    public static PermitResult allow() {
        return new PermitResult(Status.success(), Duration.ZERO);
    }

    public static PermitResult deny(Status status) {
        if (status.isSuccess() || status.isWait()) {
            throw new IllegalArgumentException("deny needs a rejection or ERROR, not " + status.code());
        }
        return new PermitResult(status, Duration.ZERO);
    }

    public static PermitResult waitFor(Duration timeout) {
        return new PermitResult(Status.of(Status.Code.WAIT), timeout);
    }
}
