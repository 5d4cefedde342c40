package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.informer.DefaultSharedInformerFactory;
import io.kube4j.runtime.informer.Indexers;
import io.kube4j.runtime.informer.InformerOptions;
import io.kube4j.runtime.informer.ListWatchInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The informer (list, watch, re-watch, relist after 410, resync, selectors) against a real API server. */
class TestListWatchInformer {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Cluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = Clients.smallWatchCache("informer");
        client = Clients.admin(cluster);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void namespace(String name) {
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
        client.create(ns);
    }

    private static ConfigMap cm(String namespace, String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToData("v", value).build();
    }

    private static ConfigMap setValue(String namespace, String name, String value) {
        ConfigMap current = client.get(ConfigMap.class, namespace, name).orElseThrow();
        ConfigMap copy = new ConfigMapBuilder(current).addToData("v", value).build();
        return client.update(copy);
    }

    /** Records events as {@code ADD:name=v}, {@code UPDATE:name=v}, {@code DELETE:name:unknown?}. */
    private static final class Recorder implements ResourceEventHandler<ConfigMap> {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final String namespace;

        Recorder(String namespace) {
            this.namespace = namespace;
        }

        @Override
        public void onAdd(ConfigMap o) {
            if (!namespace.equals(o.getMetadata().getNamespace())) {
                return;
            }
            events.add("ADD:" + o.getMetadata().getName() + "=" + o.getData().get("v"));
        }

        @Override
        public void onUpdate(ConfigMap old, ConfigMap o) {
            if (!namespace.equals(o.getMetadata().getNamespace())) {
                return;
            }
            String prefix = old.getMetadata().getResourceVersion().equals(o.getMetadata().getResourceVersion())
                    ? "RESYNC:" : "UPDATE:";
            events.add(prefix + o.getMetadata().getName() + "=" + o.getData().get("v"));
        }

        @Override
        public void onDelete(ConfigMap o, boolean finalStateUnknown) {
            if (!namespace.equals(o.getMetadata().getNamespace())) {
                return;
            }
            events.add("DELETE:" + o.getMetadata().getName() + (finalStateUnknown ? ":unknown" : ""));
        }

        String next() throws InterruptedException {
            String e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e).as("an event within " + WAIT).isNotNull();
            return e;
        }

        List<String> next(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(next());
            }
            return out;
        }
    }

    @Test
    void seesAddUpdateDeleteAndLateHandlersGetTheContents() throws Exception {
        namespace("inf-basic");
        client.create(cm("inf-basic", "before", "0"));
        try (DefaultSharedInformerFactory factory = new DefaultSharedInformerFactory(client, InformerOptions.DEFAULT)) {
            ListWatchInformer<ConfigMap> informer = factory.informerFor(ConfigMap.class);
            assertThat(factory.informerFor(ConfigMap.class)).as("shared").isSameAs(informer);
            Recorder early = new Recorder("inf-basic");
            informer.addEventHandler(early);
            factory.start();
            assertThat(factory.waitForCacheSync(WAIT)).isTrue();
            assertThat(informer.hasSynced()).isTrue();
            assertThat(informer.lister().get("inf-basic", "before")).isPresent();
            assertThat(early.events).contains("ADD:before=0");
            early.events.clear();

            client.create(cm("inf-basic", "x", "1"));
            setValue("inf-basic", "x", "2");
            client.delete(ConfigMap.class, "inf-basic", "x", DeleteOptions.DEFAULT);
            assertThat(early.next(3)).containsExactly("ADD:x=1", "UPDATE:x=2", "DELETE:x");
            assertThat(informer.lister().get("inf-basic", "x")).isEmpty();
            assertThat(informer.lister().list("inf-basic")).extracting(c -> c.getMetadata().getName())
                    .containsExactly("before");

            Recorder late = new Recorder("inf-basic");
            informer.addEventHandler(late);
            assertThat(late.next()).isEqualTo("ADD:before=0");
            client.create(cm("inf-basic", "y", "1"));
            assertThat(late.next()).as("no duplicate add of what the late handler was given").isEqualTo("ADD:y=1");
        }
    }

    @Test
    void watchesAgainWhenTheServerEndsTheWatch() throws Exception {
        namespace("inf-timeout");
        try (ListWatchInformer<ConfigMap> informer = new ListWatchInformer<>(client, ConfigMap.class,
                InformerOptions.DEFAULT.withNamespace("inf-timeout").withWatchTimeoutSeconds(1))) {
            Recorder recorder = new Recorder("inf-timeout");
            informer.addEventHandler(recorder);
            informer.start();
            assertThat(informer.waitForSync(WAIT)).isTrue();
            Clients.await("three watches", WAIT, () -> informer.watchCount() >= 3);
            client.create(cm("inf-timeout", "after", "1"));
            assertThat(recorder.next()).isEqualTo("ADD:after=1");
            assertThat(informer.listCount()).as("a normal end of the watch needs no new list").isEqualTo(1);
        }
    }

    @Test
    void relistsAfter410AndDeliversOnlyTheDifference() throws Exception {
        namespace("inf-gone");
        namespace("inf-churn");
        for (String n : List.of("a", "b", "c")) {
            client.create(cm("inf-gone", n, "1"));
        }
        client.create(cm("inf-churn", "churn", "0"));
        GatedApiClient gated = new GatedApiClient(client);
        try (ListWatchInformer<ConfigMap> informer = new ListWatchInformer<>(gated, ConfigMap.class,
                InformerOptions.DEFAULT.withNamespace("inf-gone"))) {
            Recorder recorder = new Recorder("inf-gone");
            informer.addEventHandler(recorder);
            informer.start();
            assertThat(informer.waitForSync(WAIT)).isTrue();
            assertThat(recorder.next(3)).containsExactlyInAnyOrder("ADD:a=1", "ADD:b=1", "ADD:c=1");
            Clients.await("the first watch", WAIT, () -> informer.watchCount() >= 1);

            gated.holdWatches();
            setValue("inf-gone", "b", "2");
            client.delete(ConfigMap.class, "inf-gone", "c", DeleteOptions.DEFAULT);
            client.create(cm("inf-gone", "d", "1"));
            for (int i = 0; i < 150; i++) {
                setValue("inf-churn", "churn", Integer.toString(i));
            }
            gated.release();

            assertThat(recorder.next(3)).containsExactlyInAnyOrder("UPDATE:b=2", "ADD:d=1", "DELETE:c:unknown");
            Clients.await("a second list", WAIT, () -> informer.listCount() == 2);
            client.create(cm("inf-gone", "e", "1"));
            assertThat(recorder.next()).as("watching again after the relist").isEqualTo("ADD:e=1");
            assertThat(recorder.events).isEmpty();
            assertThat(informer.lister().list()).extracting(c -> c.getMetadata().getName())
                    .containsExactlyInAnyOrder("a", "b", "d", "e");
        }
    }

    @Test
    void resyncRedeliversTheCacheAsUpdates() throws Exception {
        namespace("inf-resync");
        client.create(cm("inf-resync", "r", "1"));
        try (ListWatchInformer<ConfigMap> informer = new ListWatchInformer<>(client, ConfigMap.class,
                InformerOptions.DEFAULT.withNamespace("inf-resync").withResyncPeriod(Duration.ofMillis(100)))) {
            Recorder recorder = new Recorder("inf-resync");
            informer.addEventHandler(recorder);
            informer.start();
            assertThat(recorder.next()).isEqualTo("ADD:r=1");
            assertThat(recorder.next()).isEqualTo("RESYNC:r=1");
            assertThat(recorder.next()).isEqualTo("RESYNC:r=1");
        }
    }

    @Test
    void fieldSelectorAndNodeIndex() throws Exception {
        namespace("inf-pods");
        for (String node : List.of("node-a", "node-b")) {
            client.create(new PodBuilder().withNewMetadata().withName("p-" + node).withNamespace("inf-pods").endMetadata()
                    .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox").endContainer()
                    .endSpec().build());
        }
        try (ListWatchInformer<Pod> onA = new ListWatchInformer<>(client, Pod.class,
                InformerOptions.DEFAULT.withFieldSelector("spec.nodeName=node-a"));
             ListWatchInformer<Pod> all = new ListWatchInformer<>(client, Pod.class, InformerOptions.DEFAULT)) {
            all.addIndexer(Indexers.NODE_NAME, Indexers.podsByNode());
            onA.start();
            all.start();
            assertThat(onA.waitForSync(WAIT)).isTrue();
            assertThat(all.waitForSync(WAIT)).isTrue();
            assertThat(onA.lister().list()).extracting(p -> p.getMetadata().getName()).containsExactly("p-node-a");
            assertThat(all.lister().byIndex(Indexers.NODE_NAME, "node-b")).extracting(p -> p.getMetadata().getName())
                    .containsExactly("p-node-b");
            assertThat(all.lister().list("inf-pods")).hasSize(2);
        }
    }
}
