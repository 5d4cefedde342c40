package io.kube4j.api.scheduling;

/**
 * What the snapshot knows about one image present on a node (from {@code node.status.images}).
 *
 * @param sizeBytes the image's size
 * @param numNodes on how many nodes of the snapshot it is present, at least 1
 */
public record ImageState(long sizeBytes, int numNodes) {
    public ImageState {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0: " + sizeBytes);
        }
        if (numNodes < 1) {
            throw new IllegalArgumentException("numNodes must be >= 1: " + numNodes);
        }
    }
}
