/**
 * The {@code iptables} proxy mode: service routing in the kernel, with the chains kube-proxy's
 * iptables mode writes (KUBE-SERVICES, KUBE-SVC-*, KUBE-SEP-*, KUBE-NODEPORTS, KUBE-POSTROUTING,
 * ...), applied atomically with {@code iptables-restore --noflush}, optionally inside a network
 * namespace.
 */
package io.kube4j.network.iptables;
