package io.kube4j.api.node;

import java.util.Optional;

/**
 * Gives pods their network, as a CNI plugin chain does: ADD ({@link #setUpPod}), DEL
 * ({@link #tearDownPod}), CHECK ({@link #status}). Implementations: {@code host} (pods share the
 * node's network and IP), {@code bridge} (a Linux bridge and veth pairs, IPs from the node's
 * {@code spec.podCIDR}). Made by a {@link PodNetworkFactory}; owned and closed by the kubelet.
 *
 * <p>Thread-safe: different pods may be wired concurrently; the kubelet never calls two methods
 * for the same sandbox at once. Every method may block. Failures throw {@link ContainerRuntimeException}.
 */
public interface PodNetwork extends AutoCloseable {

    /**
     * Wires the pod's sandbox into the network and returns its addresses. Called after
     * {@code runPodSandbox}, before any container starts. Calling it again for a wired sandbox
     * returns the same addresses.
     */
    PodNetworkStatus setUpPod(PodNetworkRequest request);

    /**
     * Unwires the sandbox and frees its addresses. Idempotent: a sandbox that was never wired,
     * was half-wired, or whose namespace is already gone is a success (the kubelet calls it
     * while cleaning up after crashes).
     */
    void tearDownPod(PodNetworkRequest request);

    /**
     * The sandbox's addresses if it is wired; empty if it is not. Throws if it is wired but
     * broken (CHECK failed), so that the kubelet recreates the sandbox.
     */
    Optional<PodNetworkStatus> status(PodNetworkRequest request);

    /**
     * Whether the pods need a network namespace of their own for this network to wire: true (the
     * default) makes the kubelet ask the runtime for one per pod ({@link NamespaceMode#POD});
     * false ({@code host}) leaves pods on the node's network.
     */
    default boolean needsPodNamespace() {
        return true;
    }

    /** Releases the plugin's resources; wired pods stay wired. Idempotent. */
    @Override
    default void close() {
    }
}
