package io.kube4j.apiserver.rest;

import io.kube4j.apiserver.cache.CachedObject;
import java.util.List;

/** One page of a list: the objects, the list's resourceVersion, the next page's token ("" on the last). */
public record ListPage(List<CachedObject> items, long resourceVersion, String continueToken, long remainingItemCount) {
    public ListPage {
        items = List.copyOf(items);
    }
}
