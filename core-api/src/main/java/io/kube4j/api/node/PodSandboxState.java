package io.kube4j.api.node;

/** READY while the sandbox (its namespaces, its network) exists and runs; NOTREADY once stopped or broken. */
public enum PodSandboxState {
    READY, NOTREADY
}
