/**
 * The {@code process} container runtime: a container is a host process group led by a small
 * supervising shell started with {@code setsid}, so that stopping it reaches every process it
 * forked; the sandbox is a directory under the node's data directory; nothing is isolated and the
 * image name is only recorded. Its state is kept on disk, so that containers outlive a kubelet
 * that is killed and are adopted by the next one.
 */
package io.kube4j.cri.process;
