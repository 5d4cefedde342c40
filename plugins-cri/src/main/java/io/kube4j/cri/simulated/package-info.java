/**
 * The {@code simulated} container runtime, as kwok's fake nodes: it runs no process, a container
 * is only a record that turns RUNNING after a delay and, for pods annotated
 * {@code kube4j.io/simulate: complete} or {@code fail}, exits after a while; the node offers the
 * capacity the profile names. For scheduler and controller research at scale.
 */
package io.kube4j.cri.simulated;
