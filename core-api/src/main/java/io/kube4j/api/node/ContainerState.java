package io.kube4j.api.node;

/** The life of a container: CREATED → RUNNING → EXITED; UNKNOWN when the runtime lost track of it. */
public enum ContainerState {
    CREATED, RUNNING, EXITED, UNKNOWN
}
