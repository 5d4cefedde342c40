package io.kube4j.api.client;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * Options of a delete.
 *
 * @param gracePeriodSeconds  empty: the object's default
 * @param propagationPolicy   Orphan, Background or Foreground; "" for the resource's default
 * @param preconditionResourceVersion delete only if still at this version; "" for none
 * @param preconditionUid delete only if the object has this uid (not another object made since
 *        under the same name, as the kubelet's final delete of a pod checks); "" for none
 */
public record DeleteOptions(OptionalLong gracePeriodSeconds, String propagationPolicy,
                            String preconditionResourceVersion, String preconditionUid) {
    public static final DeleteOptions DEFAULT = new DeleteOptions(OptionalLong.empty(), "", "");

    public DeleteOptions {
        requireNonNull(gracePeriodSeconds, "gracePeriodSeconds is null");
        requireNonNull(propagationPolicy, "propagationPolicy is null");
        requireNonNull(preconditionResourceVersion, "preconditionResourceVersion is null");
        requireNonNull(preconditionUid, "preconditionUid is null");
    }

    /** Options without a uid precondition: the shape before {@code preconditionUid} was added. */
    public DeleteOptions(OptionalLong gracePeriodSeconds, String propagationPolicy, String preconditionResourceVersion) {
        this(gracePeriodSeconds, propagationPolicy, preconditionResourceVersion, "");
    }

    public static DeleteOptions gracePeriod(long seconds) {
        return new DeleteOptions(OptionalLong.of(seconds), "", "");
    }

    public DeleteOptions withPropagationPolicy(String policy) {
        return new DeleteOptions(gracePeriodSeconds, policy, preconditionResourceVersion, preconditionUid);
    }

    /** A copy that deletes only the object with this uid. */
    public DeleteOptions withPreconditionUid(String uid) {
        return new DeleteOptions(gracePeriodSeconds, propagationPolicy, preconditionResourceVersion, uid);
    }
}
