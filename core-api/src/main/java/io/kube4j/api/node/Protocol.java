package io.kube4j.api.node;

/** The transport protocol of a port mapping. */
public enum Protocol {
    TCP, UDP, SCTP
}
