/**
 * The node IPAM controller: gives every Node a pod subnet ({@code spec.podCIDR}) cut from the
 * cluster's pod CIDR, which the {@code bridge} pod network hands out to the node's pods.
 */
package io.kube4j.controllers.nodeipam;
