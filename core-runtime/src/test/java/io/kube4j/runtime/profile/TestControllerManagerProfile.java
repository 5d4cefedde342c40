package io.kube4j.runtime.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestControllerManagerProfile {

    @Test
    void defaults() {
        ControllerManagerProfile p = new ControllerManagerProfile(null, null, null);
        assertThat(p.controllers()).containsExactly("*");
        assertThat(p.workers()).isEqualTo(5);
        assertThat(p.leaderElection().leaderElect()).isTrue();
    }

    @Test
    void controllersSelectLikeKubeControllerManagerFlag() {
        ControllerManagerProfile p = new ControllerManagerProfile(List.of("*", "-garbagecollector"), null, null);
        assertThat(p.enables("namespace")).isTrue();
        assertThat(p.enables("garbagecollector")).isFalse();
        ControllerManagerProfile only = new ControllerManagerProfile(List.of("namespace"), null, null);
        assertThat(only.enables("namespace")).isTrue();
        assertThat(only.enables("serviceaccount")).isFalse();
    }

    @Test
    void theSectionIsReadFromAProfile() {
        ClusterProfile profile = ProfileLoader.parse("p.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: p}
                controllerManager: {controllers: ["*", "-serviceaccount"], workers: 2, leaderElection: {leaderElect: false}}
                """);
        ControllerManagerProfile cm = profile.controllerManager().orElseThrow();
        assertThat(cm.enables("serviceaccount")).isFalse();
        assertThat(cm.workers()).isEqualTo(2);
        assertThat(cm.leaderElection().leaderElect()).isFalse();
        assertThat(cm.config()).isEmpty();
        assertThat(ProfileLoader.parse("q.yaml", "apiVersion: kube4j.io/v1alpha1\nkind: ClusterProfile\n")
                .controllerManager()).isEmpty();
        assertThatThrownBy(() -> ProfileLoader.parse("r.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                controllerManager: {workers: 0}
                """)).hasMessageContaining("controllerManager.workers");
        assertThatThrownBy(() -> ProfileLoader.parse("s.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                controllerManager: {controlers: ["*"]}
                """)).hasMessageContaining("unknown key 'controlers'");
    }

    @Test
    void perControllerConfigIsKeptByName() {
        ClusterProfile profile = ProfileLoader.parse("p.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: p}
                controllerManager:
                  config:
                    nodelifecycle: {nodeMonitorGracePeriod: 3s}
                """);
        ControllerManagerProfile cm = profile.controllerManager().orElseThrow();
        assertThat(cm.config()).containsOnlyKeys("nodelifecycle");
        assertThat(cm.config().get("nodelifecycle").path("nodeMonitorGracePeriod").asText()).isEqualTo("3s");
    }
}
