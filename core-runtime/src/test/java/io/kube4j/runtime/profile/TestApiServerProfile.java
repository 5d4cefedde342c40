package io.kube4j.runtime.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestApiServerProfile {
    private static final String HEAD = """
            apiVersion: kube4j.io/v1alpha1
            kind: ClusterProfile
            """;

    @Test
    void componentsReachTheApiServerInProcessUnlessTheProfileSaysHttps() {
        assertThat(ProfileLoader.parse("p.yaml", HEAD).apiserver().inProcessComponents()).isTrue();
        ApiServerProfile https = ProfileLoader.parse("p.yaml", HEAD + "apiserver: {componentTransport: https}\n").apiserver();
        assertThat(https.inProcessComponents()).isFalse();
        assertThat(https.componentTransport()).isEqualTo("https");
        assertThat(ProfileLoader.parse("p.yaml", HEAD + "apiserver: {componentTransport: https}\n")
                .withAddress("127.0.0.1:0").apiserver().componentTransport()).as("kept by withAddress").isEqualTo("https");
    }

    @Test
    void anUnknownTransportNamesTheFileTheLineAndTheChoices() {
        assertThatThrownBy(() -> ProfileLoader.parse("p.yaml", HEAD + "apiserver:\n  componentTransport: grpc\n"))
                .isInstanceOf(ProfileException.class)
                .hasMessageContaining("p.yaml:")
                .hasMessageContaining("[in-process, https]")
                .hasMessageContaining("grpc");
    }
}
