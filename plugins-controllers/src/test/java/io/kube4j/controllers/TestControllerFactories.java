package io.kube4j.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.NoConfig;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every built-in controller is found through {@code ServiceLoader} under kube-controller-manager's
 * name. Each runs against a real API server in the samples module's tests.
 */
class TestControllerFactories {

    private static Map<String, ControllerFactory<?>> factories() {
        Map<String, ControllerFactory<?>> byName = new TreeMap<>();
        for (ControllerFactory<?> f : ServiceLoader.load(ControllerFactory.class)) {
            assertThat(byName.put(f.name(), f)).as("duplicate %s", f.name()).isNull();
        }
        return byName;
    }

    @Test
    void builtInControllersAreRegisteredByName() {
        Map<String, ControllerFactory<?>> factories = factories();
        assertThat(factories.keySet()).contains("namespace", "serviceaccount", "garbagecollector", "replicaset", "deployment", "endpoint", "endpointslice", "job", "daemonset", "replicationcontroller",
                "statefulset", "cronjob", "ttl-after-finished", "nodeipam",
                "nodelifecycle", "taint-eviction-controller", "podgc", "resourcequota");
        for (ControllerFactory<?> f : factories.values()) {
            assertThat(f.description()).isNotBlank();
            assertThat(f.configType() == NoConfig.class || f.configType().isRecord()).as("config of %s", f.name()).isTrue();
        }
    }
}
