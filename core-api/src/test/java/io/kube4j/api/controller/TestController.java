package io.kube4j.api.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestController {

    /** A lister over a map, with the namespace index every informer has. */
    static final class MapLister<T extends HasMetadata> implements Lister<T> {
        final Map<Request, T> objects = new LinkedHashMap<>();

        void put(T object) {
            objects.put(Request.of(object), object);
        }

        @Override
        public Optional<T> get(String namespace, String name) {
            return Optional.ofNullable(objects.get(new Request(namespace, name)));
        }

        @Override
        public List<T> list() {
            return List.copyOf(objects.values());
        }

        @Override
        public List<T> byIndex(String indexName, String value) {
            if (!indexName.equals(NAMESPACE_INDEX)) {
                throw new IllegalArgumentException("no index " + indexName);
            }
            return objects.entrySet().stream().filter(e -> e.getKey().namespace().equals(value)).map(Map.Entry::getValue).toList();
        }
    }

    /** Reconciles ConfigMaps: waits on an annotation, refuses bad data, else notes the key. */
    static final class ToyController implements Controller {
        final Lister<ConfigMap> configMaps;
        final List<Request> reconciled = new ArrayList<>();

        ToyController(Lister<ConfigMap> configMaps) {
            this.configMaps = configMaps;
        }

        @Override
        public String name() {
            return "toy";
        }

        @Override
        public List<WatchSource<?>> watches() {
            return List.of(WatchSource.forType(ConfigMap.class), WatchSource.owns(Secret.class),
                    WatchSource.watches(Namespace.class,
                            ns -> configMaps.list(ns.getMetadata().getName()).stream().map(Request::of).toList()));
        }

        @Override
        public Result reconcile(Request request) {
            Optional<ConfigMap> configMap = configMaps.get(request);
            if (configMap.isEmpty()) {
                return Result.done();
            }
            Map<String, String> data = configMap.get().getData();
            if (data.containsKey("bad")) {
                throw new TerminalException("key 'bad' is not allowed in " + request);
            }
            if (data.containsKey("wait")) {
                return Result.requeueAfter(Duration.ofSeconds(Long.parseLong(data.get("wait"))));
            }
            reconciled.add(request);
            return Result.done();
        }
    }

    private static ConfigMap configMap(String namespace, String name, Map<String, String> data) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(data).build();
    }

    @Test
    void toyReconcilesFromTheCache() {
        MapLister<ConfigMap> lister = new MapLister<>();
        lister.put(configMap("default", "ok", Map.of("a", "1")));
        lister.put(configMap("default", "waiting", Map.of("wait", "30")));
        lister.put(configMap("default", "broken", Map.of("bad", "x")));
        ToyController controller = new ToyController(lister);

        assertThat(controller.reconcile(new Request("default", "ok"))).isEqualTo(Result.done());
        assertThat(controller.reconcile(new Request("default", "gone"))).isInstanceOf(Result.Done.class);
        assertThat(controller.reconcile(new Request("default", "waiting")))
                .isEqualTo(new Result.RequeueAfter(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> controller.reconcile(new Request("default", "broken")))
                .isInstanceOf(TerminalException.class).hasMessageContaining("default/broken");
        assertThat(controller.reconcile(new Request("default", "ok"))).isEqualTo(Result.done());
        assertThat(controller.reconciled).containsExactly(new Request("default", "ok"), new Request("default", "ok"));
    }

    @Test
    void watchesMapEventsToKeys() {
        MapLister<ConfigMap> lister = new MapLister<>();
        lister.put(configMap("team-a", "one", Map.of()));
        lister.put(configMap("team-a", "two", Map.of()));
        lister.put(configMap("team-b", "three", Map.of()));
        List<WatchSource<?>> watches = new ToyController(lister).watches();

        assertThat(watches).filteredOn(w -> w instanceof WatchSource.For<?>).singleElement()
                .extracting(WatchSource::type).isEqualTo(ConfigMap.class);
        @SuppressWarnings("unchecked")
        WatchSource.Watches<Namespace> byNamespace = (WatchSource.Watches<Namespace>) watches.get(2);
        Namespace teamA = new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build();
        assertThat(byNamespace.mapper().map(teamA))
                .containsExactly(new Request("team-a", "one"), new Request("team-a", "two"));
    }

    @Test
    void ownedObjectsMapToTheirControllingOwnerOfTheReconciledKind() {
        Secret owned = new SecretBuilder().withNewMetadata().withNamespace("default").withName("s")
                .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("not-controller")
                .withController(false).endOwnerReference()
                .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("cm")
                .withController(true).endOwnerReference()
                .endMetadata().build();
        WatchSource.Owns<Secret> owns = WatchSource.owns(Secret.class);

        assertThat(owns.requestsFor(owned, ConfigMap.class)).containsExactly(new Request("default", "cm"));
        assertThat(owns.requestsFor(owned, Deployment.class)).isEmpty();
        Secret ownedByDeployment = new SecretBuilder().withNewMetadata().withNamespace("default").withName("s")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName("web")
                .withController(true).endOwnerReference().endMetadata().build();
        assertThat(owns.requestsFor(ownedByDeployment, Deployment.class)).containsExactly(new Request("default", "web"));
        assertThat(owns.requestsFor(ownedByDeployment, ConfigMap.class)).isEmpty();
    }

    @Test
    void requestKeysRoundTrip() {
        assertThat(new Request("default", "web")).hasToString("default/web");
        assertThat(new Request("", "node-1")).hasToString("node-1");
        assertThat(Request.parse("default/web")).isEqualTo(new Request("default", "web"));
        assertThat(Request.parse("node-1")).isEqualTo(new Request("", "node-1"));
        assertThatThrownBy(() -> new Request("a/b", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Request("", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requeueAfterNeedsAPositiveDelay() {
        assertThatThrownBy(() -> Result.requeueAfter(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Result.requeue()).isInstanceOf(Result.Requeue.class);
    }

    @Test
    void listerDefaultsGoThroughTheNamespaceIndex() {
        MapLister<ConfigMap> lister = new MapLister<>();
        lister.put(configMap("team-a", "one", Map.of()));
        lister.put(configMap("team-b", "two", Map.of()));
        assertThat(lister.list("team-b")).extracting(c -> c.getMetadata().getName()).containsExactly("two");
        assertThat(lister.get(new Request("team-a", "one"))).isPresent();
    }
}
