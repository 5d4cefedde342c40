package io.kube4j.runtime.profile;

import java.util.Map;

/**
 * A cluster profile: which components run and which plugin fills each slot. Loaded by
 * {@link ProfileLoader}; unknown keys are errors.
 *
 * @param apiVersion {@code kube4j.io/v1alpha1}
 * @param kind       {@code ClusterProfile}
 * @param metadata   {@code name} at least
 * @param dataDir    where the cluster keeps its state, kubeconfig and certificates ({@code ~} is the home directory)
 * @param apiserver  the API server section
 */
public record ClusterProfile(String apiVersion, String kind, Map<String, String> metadata, String dataDir,
                             ApiServerProfile apiserver) {
    public static final String API_VERSION = "kube4j.io/v1alpha1";
    public static final String KIND = "ClusterProfile";

    public ClusterProfile {
        metadata = metadata == null ? Map.of("name", "kube4j") : Map.copyOf(metadata);
        dataDir = dataDir == null ? "~/.kube4j/" + metadata.getOrDefault("name", "kube4j") : dataDir;
        apiserver = apiserver == null ? ApiServerProfile.defaults() : apiserver;
    }

    public String name() {
        return metadata.getOrDefault("name", "kube4j");
    }

    /** A copy with another data directory (tests, embedding). */
    public ClusterProfile withDataDir(String dir) {
        return new ClusterProfile(apiVersion, kind, metadata, dir, apiserver);
    }

    /** A copy listening on another address (tests, embedding; port 0 picks a free one). */
    public ClusterProfile withAddress(String address) {
        ApiServerProfile a = apiserver;
        return new ClusterProfile(apiVersion, kind, metadata, dataDir, new ApiServerProfile(address,
                a.advertiseAddress(), a.tls(), a.storage(), a.authentication(), a.authorization(), a.admission(),
                a.serviceClusterIpRange(), a.maxRequestsInflight(), a.maxMutatingRequestsInflight(), a.watchCacheSize(),
                a.watchBookmarkInterval()));
    }
}
