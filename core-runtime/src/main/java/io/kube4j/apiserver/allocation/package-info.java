/** Allocation of Service addresses: cluster IPs (and, later, node ports). */
package io.kube4j.apiserver.allocation;
