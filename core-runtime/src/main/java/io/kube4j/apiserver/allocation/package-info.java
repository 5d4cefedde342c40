/**
 * Allocation of Service addresses: cluster IPs and node ports, each held by a key in the store so that
 * several API servers on one store agree, and the repair loop that frees leaked ones.
 */
package io.kube4j.apiserver.allocation;
