package io.kube4j.runtime.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The {@code apiserver:} section of a profile.
 *
 * @param address               host:port to listen on (port 0: any free port)
 * @param advertiseAddress      host:port written into kubeconfigs and discovery; defaults to address
 * @param tls                   serve HTTPS with the cluster's own CA (true) or plain HTTP
 * @param storage               the storage plugin slot
 * @param authentication        authenticator slots, asked in order
 * @param authorization         authorizer slots, asked in order
 * @param admission             admission plugin slots, run in order
 * @param serviceClusterIpRange the CIDR that Service cluster IPs come from
 * @param maxRequestsInflight   concurrent read-only requests before 429
 * @param maxMutatingRequestsInflight concurrent writes before 429
 * @param watchCacheSize        events kept for watches that resume from a version
 * @param watchBookmarkInterval how often watches that allow bookmarks get one (Go duration, default 30s)
 * @param connect               the URLs of this cluster's API servers, when none runs in this process: the
 *                              components here (scheduler, controller-manager, kubelets, ...) use them, failing
 *                              over from one to the next, with the admin token of {@code tokens.csv} and the CA
 *                              of {@code pki/ca.crt} in the data directory that they share with the API servers.
 *                              Empty (default): the API server runs here and they use it
 * @param componentTransport    how the components of this process reach the API server that runs here:
 *                              {@code in-process} (default: straight into its request handler, authenticated,
 *                              authorized and admitted as over HTTPS) or {@code https} (through its port, as
 *                              components in other processes do)
 */
public record ApiServerProfile(String address, String advertiseAddress, Boolean tls, PluginSlot storage,
                               List<PluginSlot> authentication, List<PluginSlot> authorization,
                               List<PluginSlot> admission,
                               @JsonProperty("serviceClusterIPRange") String serviceClusterIpRange,
                               Integer maxRequestsInflight, Integer maxMutatingRequestsInflight,
                               Integer watchCacheSize, String watchBookmarkInterval, List<String> connect,
                               String componentTransport) {
    /** The choices of {@code componentTransport}. */
    public static final List<String> COMPONENT_TRANSPORTS = List.of("in-process", "https");

    public ApiServerProfile {
        address = address == null ? "127.0.0.1:6443" : address;
        advertiseAddress = advertiseAddress == null ? "" : advertiseAddress;
        tls = tls == null ? Boolean.TRUE : tls;
        storage = storage == null ? PluginSlot.of("sqlite") : storage;
        authentication = authentication == null
                ? List.of(new PluginSlot("token", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode().put("file", "tokens.csv"), 0))
                : List.copyOf(authentication);
        authorization = authorization == null ? List.of(PluginSlot.of("always-allow")) : List.copyOf(authorization);
        admission = admission == null ? List.of(PluginSlot.of("NamespaceLifecycle")) : List.copyOf(admission);
        serviceClusterIpRange = serviceClusterIpRange == null ? "10.96.0.0/12" : serviceClusterIpRange;
        maxRequestsInflight = maxRequestsInflight == null ? 400 : maxRequestsInflight;
        maxMutatingRequestsInflight = maxMutatingRequestsInflight == null ? 200 : maxMutatingRequestsInflight;
        watchCacheSize = watchCacheSize == null ? 10_000 : watchCacheSize;
        watchBookmarkInterval = watchBookmarkInterval == null ? "30s" : watchBookmarkInterval;
        connect = connect == null ? List.of() : List.copyOf(connect);
        componentTransport = componentTransport == null ? "in-process" : componentTransport;
        if (!COMPONENT_TRANSPORTS.contains(componentTransport)) {
            throw new IllegalArgumentException("apiserver.componentTransport must be one of " + COMPONENT_TRANSPORTS
                    + ": " + componentTransport);
        }
        for (String url : connect) {
            if (url == null || !url.matches("https?://[^/:]+:[0-9]{1,5}/?")) {
                throw new IllegalArgumentException("apiserver.connect: each entry must be an API server URL such as "
                        + "https://127.0.0.1:6443: " + url);
            }
        }
        if (io.kube4j.api.plugin.Durations.parse("apiserver.watchBookmarkInterval", watchBookmarkInterval).isZero()) {
            throw new IllegalArgumentException("apiserver.watchBookmarkInterval must be more than 0");
        }
        if (maxRequestsInflight < 1 || maxMutatingRequestsInflight < 1) {
            throw new IllegalArgumentException("apiserver.maxRequestsInflight and maxMutatingRequestsInflight must be >= 1");
        }
        if (watchCacheSize < 100) {
            throw new IllegalArgumentException("apiserver.watchCacheSize must be >= 100: " + watchCacheSize);
        }
        if (!address.matches("[^:]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException("apiserver.address must be host:port, e.g. 127.0.0.1:6443: " + address);
        }
    }

    public static ApiServerProfile defaults() {
        return new ApiServerProfile(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Whether the API server runs in this process (no {@code connect} list). */
    public boolean runsHere() {
        return connect.isEmpty();
    }

    /** Whether the components of this process reach the API server here in-process (not through its port). */
    public boolean inProcessComponents() {
        return componentTransport.equals("in-process");
    }

    public String host() {
        return address.substring(0, address.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
