/**
 * The {@code bridge} pod network: each pod gets its own network namespace wired by the real CNI
 * plugins (Debian's {@code containernetworking-plugins}): {@code loopback}, then {@code bridge}
 * with {@code host-local} IPAM over the node's {@code spec.podCIDR}. A veth pair joins the pod's
 * {@code eth0} to a per-node Linux bridge that is the pods' gateway, so pods of every node that
 * shares the bridges' network namespace reach each other by pod IP, without NAT.
 */
package io.kube4j.network.bridge;
