package io.kube4j.apiserver.rest;

import static java.util.Objects.requireNonNull;

import io.kube4j.apiserver.selection.FieldSelector;
import io.kube4j.apiserver.selection.LabelSelector;

/** A parsed list request. Empty strings and 0 mean "not set". */
public record ListQuery(LabelSelector labels, FieldSelector fields, long limit, String continueToken,
                        String resourceVersion, String resourceVersionMatch) {
    public ListQuery {
        requireNonNull(labels, "labels is null");
        requireNonNull(fields, "fields is null");
        requireNonNull(continueToken, "continueToken is null");
        requireNonNull(resourceVersion, "resourceVersion is null");
        requireNonNull(resourceVersionMatch, "resourceVersionMatch is null");
    }

    public static final ListQuery ALL = new ListQuery(LabelSelector.EVERYTHING, FieldSelector.EVERYTHING, 0, "", "", "");
}
