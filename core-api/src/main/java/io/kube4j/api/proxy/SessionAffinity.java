package io.kube4j.api.proxy;

/** {@code spec.sessionAffinity}: NONE spreads connections; CLIENT_IP keeps a client on one endpoint for a while. */
public enum SessionAffinity {
    NONE, CLIENT_IP
}
