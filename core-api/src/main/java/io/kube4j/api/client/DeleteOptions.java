package io.kube4j.api.client;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * Options of a delete.
 *
 * @param gracePeriodSeconds  empty: the object's default
 * @param propagationPolicy   Orphan, Background or Foreground; "" for the resource's default
 * @param preconditionResourceVersion delete only if still at this version; "" for none
 */
public record DeleteOptions(OptionalLong gracePeriodSeconds, String propagationPolicy,
                            String preconditionResourceVersion) {
    public static final DeleteOptions DEFAULT = new DeleteOptions(OptionalLong.empty(), "", "");

    public DeleteOptions {
        requireNonNull(gracePeriodSeconds, "gracePeriodSeconds is null");
        requireNonNull(propagationPolicy, "propagationPolicy is null");
        requireNonNull(preconditionResourceVersion, "preconditionResourceVersion is null");
    }

    public static DeleteOptions gracePeriod(long seconds) {
        return new DeleteOptions(OptionalLong.of(seconds), "", "");
    }

    public DeleteOptions withPropagationPolicy(String policy) {
        return new DeleteOptions(gracePeriodSeconds, policy, preconditionResourceVersion);
    }
}
