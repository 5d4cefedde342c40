package io.kube4j.samples;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiClientConfig;
import io.kube4j.api.client.HttpApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** ApiClients for test clusters, and waiting for conditions. */
final class Clients {
    private Clients() {
    }

    static ApiClient admin(Cluster cluster) {
        return new HttpApiClient(ApiClientConfig.of(cluster.url()).withToken(cluster.adminToken().orElseThrow())
                .withCaCertificate(cluster.caCertificatePem().orElseThrow()), ResourceRegistry.builtIn());
    }

    /** A cluster in memory whose watch cache keeps only 100 events per type, so that old versions soon get 410. */
    static Cluster smallWatchCache(String name) throws Exception {
        ClusterProfile profile = ProfileLoader.parse(name + ".yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: %s}
                apiserver:
                  address: 127.0.0.1:0
                  storage: {plugin: memory}
                  watchCacheSize: 100
                """.formatted(name)).withDataDir(Files.createTempDirectory("kube4j-" + name).toString());
        return Cluster.start(profile, name + ".yaml", Optional.empty());
    }

    /** Polls {@code condition} until it holds; fails the test after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
