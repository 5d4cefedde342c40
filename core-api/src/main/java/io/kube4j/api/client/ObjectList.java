package io.kube4j.api.client;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items           the objects
 * @param resourceVersion the list's resourceVersion, to start a watch from
 * @param continueToken   the next page's token, "" on the last page
 */
public record ObjectList<T>(List<T> items, String resourceVersion, String continueToken) {
    public ObjectList {
        items = List.copyOf(items);
    }
}
