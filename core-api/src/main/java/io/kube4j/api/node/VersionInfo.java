package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

/**
 * The runtime's name and version, shown in {@code node.status.nodeInfo.containerRuntimeVersion}
 * as {@code runtimeName://runtimeVersion}.
 *
 * @param runtimeName e.g. {@code kube4j-process}
 * @param runtimeVersion the runtime's own version
 * @param runtimeApiVersion the CRI version it follows, {@code v1}
 */
public record VersionInfo(String runtimeName, String runtimeVersion, String runtimeApiVersion) {
    public VersionInfo {
        requireNonNull(runtimeName, "runtimeName is null");
        requireNonNull(runtimeVersion, "runtimeVersion is null");
        requireNonNull(runtimeApiVersion, "runtimeApiVersion is null");
    }

    /** The {@code containerRuntimeVersion} string of the node status. */
    public String containerRuntimeVersion() {
        return runtimeName + "://" + runtimeVersion;
    }
}
