package io.kube4j.api.proxy;

/** The transport protocol of a service port. */
public enum Protocol {
    TCP, UDP, SCTP
}
