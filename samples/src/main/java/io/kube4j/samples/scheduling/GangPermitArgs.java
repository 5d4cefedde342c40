package io.kube4j.samples.scheduling;

/**
 * Args of {@code GangPermit}: {@code pluginConfig: [{name: GangPermit, args: {timeoutSeconds: 30}}]}.
 *
 * @param timeoutSeconds how long a member of an incomplete gang waits at Permit before it is
 *        rejected and retried; default 30, at most 900 (kube-scheduler's cap on a Permit wait)
 */
public record GangPermitArgs(Integer timeoutSeconds) {

    public GangPermitArgs {
        timeoutSeconds = timeoutSeconds == null ? 30 : timeoutSeconds;
        if (timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new IllegalArgumentException("timeoutSeconds must be between 1 and 900, not " + timeoutSeconds);
        }
    }
}
