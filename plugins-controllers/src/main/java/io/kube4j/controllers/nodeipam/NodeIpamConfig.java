package io.kube4j.controllers.nodeipam;

/**
 * Config of the {@code nodeipam} controller, as kube-controller-manager's flags.
 *
 * @param clusterCidr      the pods' address range ({@code --cluster-cidr}, default {@code 10.244.0.0/16})
 * @param nodeCidrMaskSize the size of each node's subnet ({@code --node-cidr-mask-size}, default 24: 254 pods a node)
 */
public record NodeIpamConfig(String clusterCidr, Integer nodeCidrMaskSize) {
    public NodeIpamConfig {
        clusterCidr = clusterCidr == null ? "10.244.0.0/16" : clusterCidr.strip();
        nodeCidrMaskSize = nodeCidrMaskSize == null ? 24 : nodeCidrMaskSize;
        new CidrSet(clusterCidr, nodeCidrMaskSize);
    }

    public static NodeIpamConfig defaults() {
        return new NodeIpamConfig(null, null);
    }
}
