package io.kube4j.runtime.informer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.client.ObjectList;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.client.WatchEvent;
import io.kube4j.api.client.WatchHandle;
import io.kube4j.api.client.WatchListener;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.api.resource.ResourceRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestListWatchInformer {

    private static ConfigMap cm(String name, int rv) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .withResourceVersion(Integer.toString(rv)).endMetadata().build();
    }

    /** Serves a fixed list in pages of two and hands the test each watch's listener. */
    private static final class FakeClient implements ApiClient {
        final List<ConfigMap> items;
        final List<ListOptions> lists = new CopyOnWriteArrayList<>();
        final BlockingQueue<ListOptions> watchOptions = new LinkedBlockingQueue<>();
        final BlockingQueue<WatchListener<ConfigMap>> watchers = new LinkedBlockingQueue<>();

        FakeClient(List<ConfigMap> items) {
            this.items = items;
        }

        @Override
        public ResourceRegistry registry() {
            return ResourceRegistry.builtIn();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends HasMetadata> ObjectList<T> list(Class<T> type, ListOptions options) {
            lists.add(options);
            int from = options.continueToken().isEmpty() ? 0 : Integer.parseInt(options.continueToken());
            int to = Math.min(items.size(), from + 2);
            return new ObjectList<>((List<T>) items.subList(from, to), "10", to < items.size() ? Integer.toString(to) : "");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends HasMetadata> WatchHandle watch(Class<T> type, ListOptions options, WatchListener<T> listener) {
            watchOptions.add(options);
            watchers.add((WatchListener<ConfigMap>) listener);
            return () -> {
            };
        }

        WatchListener<ConfigMap> nextWatch() throws InterruptedException {
            WatchListener<ConfigMap> w = watchers.poll(10, TimeUnit.SECONDS);
            assertThat(w).as("a watch within 10 s").isNotNull();
            return w;
        }

        @Override
        public <T extends HasMetadata> Optional<T> get(Class<T> type, String namespace, String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> T create(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> T update(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> T updateStatus(T object) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> T patch(Class<T> type, String namespace, String name, PatchType patchType,
                                               String patch, String subresource) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T extends HasMetadata> boolean delete(Class<T> type, String namespace, String name, DeleteOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonNode getSubresource(Class<? extends HasMetadata> type, String namespace, String name, String subresource) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonNode createSubresource(Class<? extends HasMetadata> type, String namespace, String name,
                                          String subresource, Object body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JsonNode updateSubresource(Class<? extends HasMetadata> type, String namespace, String name,
                                          String subresource, Object body) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private static final class Names implements ResourceEventHandler<ConfigMap> {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        @Override
        public void onAdd(ConfigMap o) {
            seen.add("add " + o.getMetadata().getName());
        }

        @Override
        public void onUpdate(ConfigMap old, ConfigMap o) {
            seen.add("update " + o.getMetadata().getName());
        }

        @Override
        public void onDelete(ConfigMap o, boolean unknown) {
            seen.add("delete " + o.getMetadata().getName());
        }

        String next() throws InterruptedException {
            String s = seen.poll(10, TimeUnit.SECONDS);
            assertThat(s).as("an event within 10 s").isNotNull();
            return s;
        }
    }

    @Test
    void listsInPagesThenWatchesFromTheListVersionWithSelectorsAndBookmarks() throws Exception {
        FakeClient client = new FakeClient(List.of(cm("a", 1), cm("b", 2), cm("c", 3)));
        try (ListWatchInformer<ConfigMap> informer = new ListWatchInformer<>(client, ConfigMap.class,
                InformerOptions.DEFAULT.withFieldSelector("metadata.name!=z").withLabelSelector("app=x").withPageSize(2))) {
            informer.start();
            assertThat(informer.waitForSync(Duration.ofSeconds(10))).isTrue();
            assertThat(informer.lister().list()).hasSize(3);
            assertThat(client.lists).extracting(ListOptions::continueToken).containsExactly("", "2");
            assertThat(client.lists).allSatisfy(o -> {
                assertThat(o.limit()).isEqualTo(2);
                assertThat(o.fieldSelector()).isEqualTo("metadata.name!=z");
                assertThat(o.labelSelector()).isEqualTo("app=x");
            });
            client.nextWatch();
            ListOptions watch = client.watchOptions.take();
            assertThat(watch.resourceVersion()).isEqualTo("10");
            assertThat(watch.allowWatchBookmarks()).isTrue();
            assertThat(watch.fieldSelector()).isEqualTo("metadata.name!=z");
        }
    }

    @Test
    void theTransformShapesListedAndWatchedObjectsBeforeTheCacheAndMustBeSetBeforeTheStart() throws Exception {
        FakeClient client = new FakeClient(List.of(cm("a", 1)));
        Names names = new Names();
        try (ListWatchInformer<ConfigMap> informer = new ListWatchInformer<>(client, ConfigMap.class, InformerOptions.DEFAULT)) {
            informer.setTransform(o -> {
                o.getMetadata().setLabels(java.util.Map.of("seen", "yes"));
                return o;
            });
            informer.addEventHandler(names);
            informer.start();
            assertThat(names.next()).isEqualTo("add a");
            client.nextWatch().onEvent(new WatchEvent<>(WatchEvent.Type.ADDED, cm("b", 11)));
            assertThat(names.next()).isEqualTo("add b");
            assertThat(informer.lister().list()).hasSize(2)
                    .allSatisfy(o -> assertThat(o.getMetadata().getLabels()).containsEntry("seen", "yes"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> informer.setTransform(o -> o))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("after its start");
        }
    }

    @Test
    void aSlowHandlerMakesTheWatchWaitButLosesNothing() throws Exception {
        FakeClient client = new FakeClient(List.of());
        CountDownLatch release = new CountDownLatch(1);
        Names names = new Names();
        try (ListWatchInformer<ConfigMap> informer = new ListWatchInformer<>(client, ConfigMap.class,
                InformerOptions.DEFAULT.withQueueCapacity(2))) {
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap o) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            informer.addEventHandler(names);
            informer.start();
            assertThat(informer.waitForSync(Duration.ofSeconds(10))).isTrue();
            WatchListener<ConfigMap> watch = client.nextWatch();
            CompletableFuture<Void> pushed = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 10; i++) {
                    watch.onEvent(new WatchEvent<>(WatchEvent.Type.ADDED, cm("o" + i, 20 + i)));
                }
            });
            // The slow handler holds o0; the queue holds two more: the reader cannot have pushed all ten.
            assertThat(pushed).isNotDone();
            release.countDown();
            pushed.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 10; i++) {
                assertThat(names.next()).isEqualTo("add o" + i);
            }
            assertThat(informer.lastResourceVersion()).isEqualTo("29");
        }
    }

    @Test
    void aFailingHandlerDoesNotStopTheOthersAndDuplicatesAreNotDelivered() throws Exception {
        FakeClient client = new FakeClient(List.of(cm("a", 1)));
        Names names = new Names();
        try (ListWatchInformer<ConfigMap> informer = new ListWatchInformer<>(client, ConfigMap.class, InformerOptions.DEFAULT)) {
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(ConfigMap o) {
                    throw new IllegalStateException("broken handler");
                }
            });
            informer.addEventHandler(names);
            informer.start();
            assertThat(names.next()).isEqualTo("add a");
            WatchListener<ConfigMap> watch = client.nextWatch();
            watch.onEvent(new WatchEvent<>(WatchEvent.Type.ADDED, cm("a", 1)));
            watch.onEvent(new WatchEvent<>(WatchEvent.Type.MODIFIED, cm("a", 11)));
            watch.onEvent(new WatchEvent<>(WatchEvent.Type.DELETED, cm("b", 12)));
            watch.onEvent(new WatchEvent<>(WatchEvent.Type.ADDED, cm("b", 13)));
            watch.onEvent(new WatchEvent<>(WatchEvent.Type.DELETED, cm("a", 14)));
            assertThat(List.of(names.next(), names.next(), names.next())).containsExactly("update a", "add b", "delete a");
            watch.onClose(Optional.empty());
            assertThat(client.watchOptions.poll(10, TimeUnit.SECONDS)).isNotNull();
            ListOptions rewatch = client.watchOptions.poll(10, TimeUnit.SECONDS);
            assertThat(rewatch).as("watched again").isNotNull();
            assertThat(rewatch.resourceVersion()).as("from the last version seen").isEqualTo("14");
            assertThat(informer.listCount()).isEqualTo(1);
            assertThat(names.seen).isEmpty();
        }
    }
    @Test
    void aHandlerMayAddAHandlerWhichGetsTheContents() throws Exception {
        FakeClient client = new FakeClient(List.of(cm("a", 1), cm("b", 2)));
        Names added = new Names();
        try (ListWatchInformer<ConfigMap> informer = new ListWatchInformer<>(client, ConfigMap.class,
                InformerOptions.DEFAULT.withQueueCapacity(1))) {
            informer.addEventHandler(new ResourceEventHandler<>() {
                private boolean done;

                @Override
                public void onAdd(ConfigMap o) {
                    if (!done) {
                        done = true;
                        informer.addEventHandler(added);
                    }
                }
            });
            informer.start();
            WatchListener<ConfigMap> watch = client.nextWatch();
            watch.onEvent(new WatchEvent<>(WatchEvent.Type.ADDED, cm("c", 3)));
            List<String> seen = List.of(added.next(), added.next(), added.next());
            assertThat(seen).as("a was in the cache when it was added, then b and c came as changes")
                    .containsExactly("add a", "add b", "add c");
        }
    }
}
