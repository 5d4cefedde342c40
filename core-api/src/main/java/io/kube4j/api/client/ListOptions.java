package io.kube4j.api.client;

import static java.util.Objects.requireNonNull;

/**
 * The query of a list or watch. Empty strings and zeros mean "not set".
 *
 * @param namespace            namespace, "" for all or cluster-scoped
 * @param labelSelector        e.g. {@code app=web,tier in (a,b)}
 * @param fieldSelector        e.g. {@code spec.nodeName=node-1}
 * @param limit                page size, 0 for all
 * @param continueToken        from the previous page
 * @param resourceVersion      list: consistency; watch: start after this version
 * @param resourceVersionMatch NotOlderThan or Exact
 * @param timeoutSeconds       watch: server ends the watch after this long
 * @param allowWatchBookmarks  watch: ask for BOOKMARK events
 */
public record ListOptions(String namespace, String labelSelector, String fieldSelector, long limit,
                          String continueToken, String resourceVersion, String resourceVersionMatch,
                          long timeoutSeconds, boolean allowWatchBookmarks) {
    public static final ListOptions ALL = new ListOptions("", "", "", 0, "", "", "", 0, false);

    public ListOptions {
        requireNonNull(namespace, "namespace is null");
        requireNonNull(labelSelector, "labelSelector is null");
        requireNonNull(fieldSelector, "fieldSelector is null");
        requireNonNull(continueToken, "continueToken is null");
        requireNonNull(resourceVersion, "resourceVersion is null");
        requireNonNull(resourceVersionMatch, "resourceVersionMatch is null");
    }

    public static ListOptions inNamespace(String namespace) {
        return ALL.withNamespace(namespace);
    }

    public ListOptions withNamespace(String value) {
        return new ListOptions(value, labelSelector, fieldSelector, limit, continueToken, resourceVersion,
                resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withLabelSelector(String value) {
        return new ListOptions(namespace, value, fieldSelector, limit, continueToken, resourceVersion,
                resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withFieldSelector(String value) {
        return new ListOptions(namespace, labelSelector, value, limit, continueToken, resourceVersion,
                resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withLimit(long value) {
        return new ListOptions(namespace, labelSelector, fieldSelector, value, continueToken, resourceVersion,
                resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withContinue(String value) {
        return new ListOptions(namespace, labelSelector, fieldSelector, limit, value, resourceVersion,
                resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withResourceVersion(String value) {
        return new ListOptions(namespace, labelSelector, fieldSelector, limit, continueToken, value,
                resourceVersionMatch, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withResourceVersionMatch(String value) {
        return new ListOptions(namespace, labelSelector, fieldSelector, limit, continueToken, resourceVersion,
                value, timeoutSeconds, allowWatchBookmarks);
    }

    public ListOptions withTimeoutSeconds(long value) {
        return new ListOptions(namespace, labelSelector, fieldSelector, limit, continueToken, resourceVersion,
                resourceVersionMatch, value, allowWatchBookmarks);
    }

    public ListOptions withBookmarks(boolean value) {
        return new ListOptions(namespace, labelSelector, fieldSelector, limit, continueToken, resourceVersion,
                resourceVersionMatch, timeoutSeconds, value);
    }
}
