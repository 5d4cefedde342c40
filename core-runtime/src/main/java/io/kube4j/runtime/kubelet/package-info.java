/**
 * The kubelet: registers its Node and keeps its Lease, watches the pods bound to it, and runs each
 * through the node's {@link io.kube4j.api.node.ContainerRuntime} and
 * {@link io.kube4j.api.node.PodNetwork}, one worker per pod: volumes prepared as directories,
 * environments made from ConfigMaps, Secrets and the pod's fields, containers probed (one virtual
 * thread per probe); reports their status through the API server and serves their logs over HTTP.
 */
package io.kube4j.runtime.kubelet;
