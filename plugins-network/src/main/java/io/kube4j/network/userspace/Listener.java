package io.kube4j.network.userspace;

/** One bound socket of a service port: on its cluster IP, or on a node IP at its node port. */
interface Listener extends AutoCloseable {

    /** Stops listening and ends the connections (flows) it forwards. Idempotent. */
    @Override
    void close();
}
