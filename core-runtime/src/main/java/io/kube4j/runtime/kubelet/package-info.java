/**
 * The kubelet: registers its Node and keeps its Lease, watches the pods bound to it, and runs each
 * through the node's {@link io.kube4j.api.node.ContainerRuntime} and
 * {@link io.kube4j.api.node.PodNetwork}, one worker per pod; reports their status through the API
 * server and serves their logs over HTTP.
 */
package io.kube4j.runtime.kubelet;
