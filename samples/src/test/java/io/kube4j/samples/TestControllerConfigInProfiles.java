package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.runtime.controllermanager.ControllerManager;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ControllerManagerProfile;
import io.kube4j.runtime.profile.ProfileException;
import io.kube4j.runtime.profile.ProfileLoader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code controllerManager.config} is bound to each controller's config record, and checked, like any plugin slot. */
class TestControllerConfigInProfiles {
    private static final PluginRegistry PLUGINS = PluginRegistry.discover(Optional.empty());

    private static ControllerManagerProfile section(String config) {
        return ProfileLoader.parse("p.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: p}
                controllerManager:
                  config:
                %s
                """.formatted(config.indent(4))).controllerManager().orElseThrow();
    }

    @Test
    void configOfTheControllersBinds() {
        assertThatCode(() -> ControllerManager.check(section("""
                nodelifecycle: {nodeMonitorGracePeriod: 3s}
                podgc: {terminatedPodGCThreshold: 10, orphanQuarantine: 1s}
                resourcequota: {resyncPeriod: 1m}
                """), new PluginBinder(PLUGINS, "p.yaml"))).doesNotThrowAnyException();
    }

    @Test
    void unknownControllersKeysAndBadValuesAreProfileErrors() {
        assertThatThrownBy(() -> ControllerManager.check(section("nodelifecycl: {nodeMonitorGracePeriod: 3s}"),
                new PluginBinder(PLUGINS, "p.yaml")))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("controllerManager.config: unknown controller 'nodelifecycl'")
                .hasMessageContaining("nodelifecycle");
        assertThatThrownBy(() -> ControllerManager.check(section("nodelifecycle: {gracePeriod: 3s}"),
                new PluginBinder(PLUGINS, "p.yaml")))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("controllerManager.config.nodelifecycle")
                .hasMessageContaining("unknown config key 'gracePeriod'")
                .hasMessageContaining("nodeMonitorGracePeriod");
        assertThatThrownBy(() -> ControllerManager.check(section("podgc: {orphanQuarantine: soon}"),
                new PluginBinder(PLUGINS, "p.yaml")))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("orphanQuarantine");
    }
}
