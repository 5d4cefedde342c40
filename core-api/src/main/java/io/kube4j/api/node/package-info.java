/**
 * What a kubelet drives on its node: a {@link io.kube4j.api.node.ContainerRuntime} modelled on the
 * Container Runtime Interface (pod sandboxes, containers, images) and a
 * {@link io.kube4j.api.node.PodNetwork} modelled on CNI (ADD, DEL, CHECK).
 *
 * <p>The kubelet runs a pod as: pull images → {@code runPodSandbox} →
 * {@code PodNetwork.setUpPod} (with the sandbox's network namespace) → for each container
 * {@code createContainer} + {@code startContainer}; and tears it down in reverse, with
 * {@code stopContainer}, {@code PodNetwork.tearDownPod}, {@code stopPodSandbox},
 * {@code removePodSandbox}. Because the kubelet may crash between any two steps and then
 * reconciles from {@code listPodSandbox}/{@code listContainers}, every stop, remove and tear-down
 * is idempotent. Records mirror CRI messages; timestamps are Instants, optional fields Optionals.
 */
package io.kube4j.api.node;
