package io.kube4j.runtime.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster profile: which components run and which plugin fills each slot. Loaded by
 * {@link ProfileLoader}; unknown keys are errors.
 *
 * @param apiVersion {@code kube4j.io/v1alpha1}
 * @param kind       {@code ClusterProfile}
 * @param metadata   {@code name} at least
 * @param dataDir    where the cluster keeps its state, kubeconfig and certificates ({@code ~} is the home directory)
 * @param apiserver  the API server section
 * @param scheduler  the scheduler section; absent: no scheduler runs in this process
 * @param controllerManager the controller-manager section; absent: no controller-manager runs in this process
 * @param nodes      the kubelets that run in this process, one per node, with each entry that has a
 *                   {@code count} expanded into its nodes; absent: none
 * @param addons     the add-ons that run in this process once the API server answers, in order; a slot or a
 *                   bare plugin name ({@code addons: [dns]}); absent: none
 * @param proxy      the kube-proxy of each of those nodes; absent: none
 */
public record ClusterProfile(String apiVersion, String kind, Map<String, String> metadata, String dataDir,
                             ApiServerProfile apiserver, Optional<SchedulerProfile> scheduler,
                             Optional<ControllerManagerProfile> controllerManager, List<NodeProfile> nodes,
                             List<PluginSlot> addons, Optional<ProxyProfile> proxy) {
    public static final String API_VERSION = "kube4j.io/v1alpha1";
    public static final String KIND = "ClusterProfile";

    public ClusterProfile {
        metadata = metadata == null ? Map.of("name", "kube4j") : Map.copyOf(metadata);
        dataDir = dataDir == null ? "~/.kube4j/" + metadata.getOrDefault("name", "kube4j") : dataDir;
        apiserver = apiserver == null ? ApiServerProfile.defaults() : apiserver;
        scheduler = scheduler == null ? Optional.empty() : scheduler;
        controllerManager = controllerManager == null ? Optional.empty() : controllerManager;
        nodes = nodes == null ? List.of() : nodes.stream().flatMap(n -> n.expand().stream()).toList();
        addons = addons == null ? List.of() : List.copyOf(addons);
        proxy = proxy == null ? Optional.empty() : proxy;
        Set<String> names = new HashSet<>();
        for (NodeProfile node : nodes) {
            if (!names.add(node.name())) {
                throw new IllegalArgumentException("nodes: the name " + node.name() + " appears twice");
            }
        }
    }

    /** What the YAML binds to: the {@code scheduler:}, {@code controllerManager:} and {@code nodes:} keys may be absent. */
    @JsonCreator
    static ClusterProfile fromYaml(@JsonProperty("apiVersion") String apiVersion, @JsonProperty("kind") String kind,
                                   @JsonProperty("metadata") Map<String, String> metadata,
                                   @JsonProperty("dataDir") String dataDir,
                                   @JsonProperty("apiserver") ApiServerProfile apiserver,
                                   @JsonProperty("scheduler") SchedulerProfile scheduler,
                                   @JsonProperty("controllerManager") ControllerManagerProfile controllerManager,
                                   @JsonProperty("nodes") List<NodeProfile> nodes,
                                   @JsonProperty("addons") List<PluginSlot> addons,
                                   @JsonProperty("proxy") ProxyProfile proxy) {
        return new ClusterProfile(apiVersion, kind, metadata, dataDir, apiserver, Optional.ofNullable(scheduler),
                Optional.ofNullable(controllerManager), nodes, addons, Optional.ofNullable(proxy));
    }

    /** A copy with another scheduler section, or none (tests, embedding). */
    public ClusterProfile withScheduler(Optional<SchedulerProfile> section) {
        return new ClusterProfile(apiVersion, kind, metadata, dataDir, apiserver, section, controllerManager, nodes, addons, proxy);
    }

    /** A copy with another controller-manager section, or none (tests, embedding). */
    public ClusterProfile withControllerManager(Optional<ControllerManagerProfile> section) {
        return new ClusterProfile(apiVersion, kind, metadata, dataDir, apiserver, scheduler, section, nodes, addons, proxy);
    }

    /** A copy with other nodes, or none (tests, embedding). */
    public ClusterProfile withNodes(List<NodeProfile> list) {
        return new ClusterProfile(apiVersion, kind, metadata, dataDir, apiserver, scheduler, controllerManager, list, addons, proxy);
    }

    /** A copy with another proxy section, or none (tests, embedding). */
    public ClusterProfile withProxy(Optional<ProxyProfile> section) {
        return new ClusterProfile(apiVersion, kind, metadata, dataDir, apiserver, scheduler, controllerManager, nodes, addons,
                section);
    }

    /** A copy with other add-ons, or none (tests, embedding). */
    public ClusterProfile withAddons(List<PluginSlot> list) {
        return new ClusterProfile(apiVersion, kind, metadata, dataDir, apiserver, scheduler, controllerManager, nodes, list, proxy);
    }

    public String name() {
        return metadata.getOrDefault("name", "kube4j");
    }

    /** A copy with another data directory (tests, embedding). */
    public ClusterProfile withDataDir(String dir) {
        return new ClusterProfile(apiVersion, kind, metadata, dir, apiserver, scheduler, controllerManager, nodes, addons, proxy);
    }

    /** A copy listening on another address (tests, embedding; port 0 picks a free one). */
    public ClusterProfile withAddress(String address) {
        ApiServerProfile a = apiserver;
        return new ClusterProfile(apiVersion, kind, metadata, dataDir, new ApiServerProfile(address,
                a.advertiseAddress(), a.tls(), a.storage(), a.authentication(), a.authorization(), a.admission(),
                a.serviceClusterIpRange(), a.maxRequestsInflight(), a.maxMutatingRequestsInflight(), a.watchCacheSize(),
                a.watchBookmarkInterval(), a.connect(), a.componentTransport()), scheduler, controllerManager, nodes, addons, proxy);
    }
}
