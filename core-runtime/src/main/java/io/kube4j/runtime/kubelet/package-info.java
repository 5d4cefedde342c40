/**
 * The kubelet: registers its Node and keeps its Lease, watches the pods bound to it, and runs each
 * through the node's {@link io.kube4j.api.node.ContainerRuntime} and
 * {@link io.kube4j.api.node.PodNetwork}, one worker per pod: volumes prepared as directories,
 * environments made from ConfigMaps, Secrets and the pod's fields, containers probed (one virtual
 * thread per probe); reports their status through the API server and serves their logs and the
 * node's stats summary over HTTP. Pods also come from manifest files (static pods, mirrored in the
 * API server), and after a restart the pods' containers that still run are adopted, not restarted.
 */
package io.kube4j.runtime.kubelet;
