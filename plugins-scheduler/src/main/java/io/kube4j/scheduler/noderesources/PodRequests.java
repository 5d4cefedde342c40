package io.kube4j.scheduler.noderesources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pod asks of a node, computed as kube-scheduler does ({@code component-helpers}
 * {@code resource.PodRequests}): the sum of the containers' requests, where each restartable
 * (sidecar) init container adds to that sum, and each other init container needs its own request
 * plus the sidecars started before it; the larger of the two, plus {@code spec.overhead}.
 */
public final class PodRequests {

    /** The CPU a container without a CPU request counts as when scoring, in millicores. */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    /** The memory a container without a memory request counts as when scoring, in bytes. */
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    private static final Resources ONE_POD = new Resources(0, 0, 0, 1, Map.of());

    private PodRequests() {
    }

    /** The pod's requests, {@code pods} 0. */
    public static Resources requests(Pod pod) {
        return compute(pod, false);
    }

    /**
     * The pod's requests with a container's missing CPU or memory request counted as
     * {@link #DEFAULT_MILLI_CPU_REQUEST} and {@link #DEFAULT_MEMORY_REQUEST}, as scoring does so
     * that pods asking for nothing still spread. An explicit zero stays zero, as in kube.
     */
    public static Resources nonZeroRequests(Pod pod) {
        return compute(pod, true);
    }

    /** The PodInfo of {@code pod}: both request sums, each counting the pod itself as one {@code pods}. */
    public static PodInfo podInfo(Pod pod) {
        return new PodInfo(pod, requests(pod).plus(ONE_POD), nonZeroRequests(pod).plus(ONE_POD));
    }

    private static Resources compute(Pod pod, boolean nonZero) {
        if (pod.getSpec() == null) {
            return Resources.ZERO;
        }
        Resources sum = Resources.ZERO;
        for (Container container : orEmpty(pod.getSpec().getContainers())) {
            sum = sum.plus(containerRequests(container, nonZero));
        }
        Resources sidecars = Resources.ZERO;
        Resources initMax = Resources.ZERO;
        for (Container container : orEmpty(pod.getSpec().getInitContainers())) {
            Resources requests = containerRequests(container, nonZero);
            Resources whileRunning;
            if ("Always".equals(container.getRestartPolicy())) {
                sum = sum.plus(requests);
                sidecars = sidecars.plus(requests);
                whileRunning = sidecars;
            } else {
                whileRunning = requests.plus(sidecars);
            }
            initMax = max(initMax, whileRunning);
        }
        Resources total = max(sum, initMax);
        Map<String, Quantity> overhead = pod.getSpec().getOverhead();
        return overhead == null ? total : total.plus(Resources.of(overhead));
    }

    private static Resources containerRequests(Container container, boolean nonZero) {
        Map<String, Quantity> requests = container.getResources() == null || container.getResources().getRequests() == null
                ? Map.of() : container.getResources().getRequests();
        Resources resources = Resources.of(requests);
        if (!nonZero) {
            return resources;
        }
        long milliCpu = requests.containsKey(Resources.CPU) ? resources.milliCpu() : DEFAULT_MILLI_CPU_REQUEST;
        long memory = requests.containsKey(Resources.MEMORY) ? resources.memoryBytes() : DEFAULT_MEMORY_REQUEST;
        return new Resources(milliCpu, memory, resources.ephemeralStorageBytes(), resources.pods(), resources.scalar());
    }

    static Resources max(Resources a, Resources b) {
        Map<String, Long> scalar = new HashMap<>(a.scalar());
        b.scalar().forEach((name, amount) -> scalar.merge(name, amount, Math::max));
        return new Resources(Math.max(a.milliCpu(), b.milliCpu()), Math.max(a.memoryBytes(), b.memoryBytes()),
                Math.max(a.ephemeralStorageBytes(), b.ephemeralStorageBytes()), Math.max(a.pods(), b.pods()), scalar);
    }

    /** The amount of resource {@code name} in {@code resources}, in the scheduler's units. */
    static long amount(Resources resources, String name) {
        return switch (name) {
            case Resources.CPU -> resources.milliCpu();
            case Resources.MEMORY -> resources.memoryBytes();
            case Resources.EPHEMERAL_STORAGE -> resources.ephemeralStorageBytes();
            case Resources.PODS -> resources.pods();
            default -> resources.scalar(name);
        };
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
