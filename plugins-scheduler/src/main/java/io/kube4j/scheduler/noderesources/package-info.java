/**
 * The resource plugins: {@code NodeResourcesFit} (does the pod's request fit what is left on the
 * node; Score by {@code LeastAllocated}, {@code MostAllocated} or
 * {@code RequestedToCapacityRatio}) and {@code NodeResourcesBalancedAllocation} (prefer nodes
 * whose resource fractions stay even), with {@link io.kube4j.scheduler.noderesources.PodRequests},
 * kube's computation of what a pod asks of a node.
 */
package io.kube4j.scheduler.noderesources;
