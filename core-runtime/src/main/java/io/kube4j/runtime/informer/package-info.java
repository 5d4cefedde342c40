/**
 * Shared informers over {@link io.kube4j.api.client.ApiClient}, as client-go's
 * {@code tools/cache}: a {@link io.kube4j.runtime.informer.ListWatchInformer} lists a type (pages of
 * 500), watches from the list's resourceVersion with bookmarks, re-watches from the last version it
 * saw when the server ends the watch, and lists again after a 410 Gone, telling handlers only the
 * difference. {@link io.kube4j.runtime.informer.DefaultSharedInformerFactory} shares one informer
 * per type; {@link io.kube4j.runtime.informer.Indexers} holds the common indexes.
 *
 * <p>Objects in the cache and given to handlers are shared by every reader: never change them.
 */
package io.kube4j.runtime.informer;
