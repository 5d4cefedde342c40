package io.kube4j.apiserver.http;

import org.eclipse.jetty.util.Fields;

/**
 * Reads a boolean query parameter ({@code watch}, {@code allowWatchBookmarks}, {@code force}) as kube-apiserver does:
 * absent, {@code 0} or {@code false} in any case is false, every other value is true. Clients differ in spelling: the
 * Python client sends {@code watch=True}.
 */
final class QueryFlag {
    private QueryFlag() {
    }

    static boolean isSet(Fields query, String name) {
        String value = query.getValue(name);
        return value != null && !value.equals("0") && !value.equalsIgnoreCase("false");
    }
}
