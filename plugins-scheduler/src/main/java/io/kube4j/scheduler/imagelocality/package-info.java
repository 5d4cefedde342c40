/**
 * The {@code ImageLocality} score: prefer nodes that already have the pod's images, by their size
 * scaled by how few nodes have them (so that one popular image does not pull every pod to one
 * node), between a 23 MiB floor and 1000 MiB per container.
 */
package io.kube4j.scheduler.imagelocality;
