/**
 * The {@code process} container runtime: a container is a host process group, started with
 * {@code setsid} so that stopping it reaches every process it forked; the sandbox is a directory
 * under the node's data directory; nothing is isolated and the image name is only recorded.
 */
package io.kube4j.cri.process;
