package io.kube4j.api.node;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * A container runtime for one node: runs pod sandboxes and containers ({@link RuntimeService}),
 * keeps images ({@link ImageService}), and says what the node can offer. Implementations:
 * {@code process} (containers are host processes), {@code runc} (OCI bundles), {@code simulated}
 * (nothing runs, for scale tests). Made by a {@link ContainerRuntimeFactory}; owned and closed by the kubelet.
 *
 * <p>State survives the kubelet: after a restart, sandboxes and containers that still run are
 * listed again, so that the kubelet adopts rather than recreates them (when the runtime can).
 */
public interface ContainerRuntime extends RuntimeService, ImageService, AutoCloseable {

    /**
     * What the node has for pods, by resource name: at least {@code cpu}, {@code memory},
     * {@code ephemeral-storage} and {@code pods}. The kubelet writes it to
     * {@code node.status.capacity} and derives {@code allocatable} from it. Cheap; may change
     * over time (the kubelet reads it on each status update).
     */
    Map<String, Quantity> capacity();

    /**
     * True if the runtime runs nothing and only plays containers' lives ({@code simulated}, as kwok's
     * fake nodes): its kubelet then records no Event per container step (Pulled, Created, Started,
     * Killing), runs no probes (a running container is started and ready), makes no volume
     * directories and has no logs to serve, so that a thousand such nodes fit in one process.
     * Default false.
     */
    default boolean simulated() {
        return false;
    }

    /**
     * True if the cpu and memory limits of a container's {@link LinuxContainerResources} are enforced
     * (the {@code process} runtime: where it may make control groups). When false the kubelet starts
     * such containers all the same and records a {@code ResourceLimitsNotEnforced} warning Event.
     * Default false.
     */
    default boolean enforcesResourceLimits() {
        return false;
    }

    /**
     * Releases the runtime's resources. Whether containers keep running is the runtime's
     * choice (a real runtime's do; {@code process} stops its children). Idempotent.
     */
    @Override
    void close();

    /**
     * The resource usage of a running container (CRI {@code ContainerStats}); empty when the
     * container is unknown or not running, or the runtime measures nothing (the default). Reads
     * the host's state (I/O): call it off hot paths. Thread-safe.
     */
    default java.util.Optional<ContainerStats> containerStats(String containerId) {
        return java.util.Optional.empty();
    }

    /**
     * Releases the runtime's resources like {@link #close()} but leaves every container running
     * and its state on disk, so that a runtime made later for the same node directory lists
     * them again and the kubelet adopts them: what a kubelet restart (or crash) amounts to. The
     * default, for runtimes whose containers cannot outlive them, is {@link #close()}. Idempotent.
     */
    default void detach() {
        close();
    }
}
