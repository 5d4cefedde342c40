package io.kube4j.scheduler.imagelocality;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.ImageState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeInfoLister;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.ScorePlugin;
import java.util.ArrayList;
import java.util.List;

final class ImageLocalityPlugin implements ScorePlugin {

    private static final long MIB = 1024 * 1024;
    // Below this an image is cheap to pull anyway; the ceiling keeps huge images from dominating.
    static final long MIN_THRESHOLD = 23 * MIB;
    static final long MAX_CONTAINER_THRESHOLD = 1000 * MIB;

    private final NodeInfoLister snapshot;

    ImageLocalityPlugin(NodeInfoLister snapshot) {
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
    }

    @Override
    public String name() {
        return ImageLocalityFactory.NAME;
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        int totalNodes = snapshot.list().size();
        List<Container> containers = containers(pod);
        long sum = 0;
        for (Container container : containers) {
            if (container.getImage() == null) {
                continue;
            }
            ImageState image = nodeInfo.imageStates().get(normalizedImageName(container.getImage()));
            if (image != null) {
                double spread = (double) image.numNodes() / totalNodes;
                sum += (long) (image.sizeBytes() * spread);
            }
        }
        return calculatePriority(sum, containers.size());
    }

    static long calculatePriority(long sumScores, int numContainers) {
        long maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
        long clamped = sumScores < MIN_THRESHOLD ? MIN_THRESHOLD : Math.min(sumScores, maxThreshold);
        if (maxThreshold <= MIN_THRESHOLD) {
            return 0;
        }
        return NodeScore.MAX_NODE_SCORE * (clamped - MIN_THRESHOLD) / (maxThreshold - MIN_THRESHOLD);
    }

    /** The name as the node lists it: an image without a tag means {@code :latest}. */
    static String normalizedImageName(String name) {
        if (name.lastIndexOf(':') <= name.lastIndexOf('/')) {
            return name + ":latest";
        }
        return name;
    }

    private static List<Container> containers(Pod pod) {
        List<Container> containers = new ArrayList<>();
        if (pod.getSpec() == null) {
            return containers;
        }
        if (pod.getSpec().getInitContainers() != null) {
            containers.addAll(pod.getSpec().getInitContainers());
        }
        if (pod.getSpec().getContainers() != null) {
            containers.addAll(pod.getSpec().getContainers());
        }
        return containers;
    }
}
