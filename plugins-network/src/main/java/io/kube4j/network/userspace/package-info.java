/**
 * The {@code userspace} proxy mode: kube-proxy's original data plane. Each service port gets a
 * Java listener on its cluster IP (made a local address on a dummy interface this mode owns) and
 * on the node's IPs at its node port; each connection (TCP) or client flow (UDP) is forwarded to
 * one usable endpoint, round robin, or the client's sticky endpoint under ClientIP affinity.
 * Blocking sockets on virtual threads: two threads per TCP connection, one per UDP flow.
 */
package io.kube4j.network.userspace;
