package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileException;
import io.kube4j.runtime.profile.ProfileLoader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code nodes:} section of a profile: defaults, and errors that name the file, the line and the choices. */
class TestNodeProfiles {
    private static final String HEAD = """
            apiVersion: kube4j.io/v1alpha1
            kind: ClusterProfile
            metadata: {name: t}
            """;

    private static void check(String text) {
        ClusterProfile profile = ProfileLoader.parse("nodes.yaml", text);
        Cluster.check(profile, new PluginBinder(PluginRegistry.discover(Optional.empty()), "nodes.yaml"));
    }

    @Test
    void defaults() {
        ClusterProfile profile = ProfileLoader.parse("nodes.yaml", HEAD + "nodes: [{name: node-1}]\n");
        var node = profile.nodes().getFirst();
        assertThat(node.runtime().plugin()).isEqualTo("process");
        assertThat(node.network().plugin()).isEqualTo("host");
        assertThat(node.address()).isEqualTo("127.0.0.1");
        assertThat(node.kubeletPort()).isZero();
        assertThat(ProfileLoader.parse("nodes.yaml", HEAD).nodes()).isEmpty();
        check(HEAD + "nodes: [{name: node-1, runtime: {plugin: process, config: {pods: 20}}, network: {plugin: host}}]\n");
    }

    @Test
    void unknownRuntimeNamesFileLineAndChoices() {
        assertThatThrownBy(() -> check(HEAD + """
                nodes:
                  - name: node-1
                    runtime: {plugin: docker}
                """))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("nodes.yaml:6: nodes[0].runtime: unknown container runtime plugin 'docker'; available: ")
                .hasMessageContaining("process");
        assertThatThrownBy(() -> check(HEAD + """
                nodes:
                  - name: node-1
                    network: {plugin: calico}
                """))
                .hasMessageContaining("nodes.yaml:6: nodes[0].network: unknown pod network plugin 'calico'; available: ")
                .hasMessageContaining("host");
    }

    @Test
    void badKeysNameTheLine() {
        assertThatThrownBy(() -> check(HEAD + """
                nodes:
                  - name: node-1
                    runtime: {plugin: process, config: {pod: 3}}
                """))
                .hasMessageContaining("nodes.yaml:6: nodes[0].runtime (process): unknown config key 'pod'; valid keys: cgroupRoot, pods");
        assertThatThrownBy(() -> check(HEAD + """
                nodes:
                  - name: node-1
                    adress: 10.0.0.1
                """))
                .hasMessageStartingWith("nodes.yaml:6: unknown key 'adress' in nodes[0]; valid keys: ")
                .hasMessageContaining("address");
        assertThatThrownBy(() -> check(HEAD + "nodes: [{name: a}, {name: a}]\n"))
                .hasMessageContaining("nodes.yaml:").hasMessageContaining("the name a appears twice");
        assertThatThrownBy(() -> check(HEAD + "nodes: [{name: Node_1}]\n"))
                .hasMessageContaining("nodes.yaml:4: ").hasMessageContaining("DNS subdomain");
    }

    @Test
    void countExpandsAnEntryIntoNodesNamedByIndex() {
        ClusterProfile profile = ProfileLoader.parse("nodes.yaml", HEAD + """
                nodes:
                  - name: node-1
                  - name: sim-{index}
                    count: 3
                    labels: {pool: sim}
                    runtime: {plugin: simulated, config: {capacity: {cpu: "8"}}}
                """);
        assertThat(profile.nodes()).extracting(n -> n.name()).containsExactly("node-1", "sim-0", "sim-1", "sim-2");
        assertThat(profile.nodes().get(3).labels()).containsEntry("pool", "sim");
        assertThat(profile.nodes().get(3).runtime().plugin()).isEqualTo("simulated");
        assertThat(profile.nodes().get(3).count()).isEqualTo(1);
        Cluster.check(profile, new PluginBinder(PluginRegistry.discover(Optional.empty()), "nodes.yaml"));
    }

    @Test
    void countErrorsNameTheKey() {
        assertThatThrownBy(() -> check(HEAD + "nodes: [{name: sim, count: 3}]\n"))
                .hasMessageContaining("nodes.yaml:4: ").hasMessageContaining("nodes[].name must contain {index}");
        assertThatThrownBy(() -> check(HEAD + "nodes: [{name: 'sim-{index}', count: 0}]\n"))
                .hasMessageContaining("nodes[].count must be at least 1: 0");
        assertThatThrownBy(() -> check(HEAD + "nodes: [{name: 'sim-{index}'}]\n"))
                .hasMessageContaining("nodes[].name holds {index} but nodes[].count is not set");
        assertThatThrownBy(() -> check(HEAD + "nodes: [{name: 'Sim-{index}', count: 2}]\n"))
                .hasMessageContaining("DNS subdomain");
        assertThatThrownBy(() -> check(HEAD + "nodes: [{name: 'sim-{index}', count: 2, kubeletPort: 10250}]\n"))
                .hasMessageContaining("nodes[].kubeletPort must be 0 when nodes[].count is more than 1");
        assertThatThrownBy(() -> check(HEAD + "nodes: [{name: sim-1}, {name: 'sim-{index}', count: 2}]\n"))
                .hasMessageContaining("the name sim-1 appears twice");
        assertThatThrownBy(() -> check(HEAD + "nodes: [{name: 'sim-{index}', count: 2, runtime: {plugin: simulated, config: {capacity: {memory: lots}}}}]\n"))
                .hasMessageContaining("capacity.memory is not a quantity: lots");
    }
}
