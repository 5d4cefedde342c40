package io.kube4j.runtime.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Computes a pod's {@link PodInfo}: what it asks of a node, as kube-scheduler's {@code resource.PodRequests}. */
final class PodInfos {
    private static final long DEFAULT_MILLI_CPU = 100;
    private static final long DEFAULT_MEMORY = 200L * 1024 * 1024;
    private static final Resources ONE_POD = new Resources(0, 0, 0, 1, Map.of());

    private PodInfos() {
    }

    static PodInfo of(Pod pod) {
        Resources sum = Resources.ZERO;
        Resources nonZeroSum = Resources.ZERO;
        List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null
                ? List.of() : pod.getSpec().getContainers();
        for (Container c : containers) {
            Resources r = requests(c);
            sum = sum.plus(r);
            nonZeroSum = nonZeroSum.plus(nonZero(r));
        }
        List<Container> inits = pod.getSpec() == null || pod.getSpec().getInitContainers() == null
                ? List.of() : pod.getSpec().getInitContainers();
        for (Container c : inits) {
            Resources r = requests(c);
            sum = max(sum, r);
            nonZeroSum = max(nonZeroSum, nonZero(r));
        }
        if (pod.getSpec() != null && pod.getSpec().getOverhead() != null) {
            Resources overhead = Resources.of(pod.getSpec().getOverhead());
            sum = sum.plus(overhead);
            nonZeroSum = nonZeroSum.plus(overhead);
        }
        return new PodInfo(pod, sum.plus(ONE_POD), nonZeroSum.plus(ONE_POD));
    }

    /** A container's requests; a resource with a limit and no request asks for its limit, as the API server defaults it. */
    private static Resources requests(Container c) {
        ResourceRequirements req = c.getResources();
        if (req == null) {
            return Resources.ZERO;
        }
        Map<String, Quantity> asked = new HashMap<>();
        if (req.getLimits() != null) {
            asked.putAll(req.getLimits());
        }
        if (req.getRequests() != null) {
            asked.putAll(req.getRequests());
        }
        return Resources.of(asked);
    }

    private static Resources nonZero(Resources r) {
        return new Resources(r.milliCpu() == 0 ? DEFAULT_MILLI_CPU : r.milliCpu(),
                r.memoryBytes() == 0 ? DEFAULT_MEMORY : r.memoryBytes(), r.ephemeralStorageBytes(), r.pods(), r.scalar());
    }

    private static Resources max(Resources a, Resources b) {
        Map<String, Long> scalar = new HashMap<>(a.scalar());
        b.scalar().forEach((name, amount) -> scalar.merge(name, amount, Math::max));
        return new Resources(Math.max(a.milliCpu(), b.milliCpu()), Math.max(a.memoryBytes(), b.memoryBytes()),
                Math.max(a.ephemeralStorageBytes(), b.ephemeralStorageBytes()), Math.max(a.pods(), b.pods()), scalar);
    }
}
