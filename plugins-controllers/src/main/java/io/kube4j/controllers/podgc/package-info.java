/**
 * The pod garbage collector: deletes terminated pods beyond a threshold (oldest first), pods bound to
 * nodes that no longer exist, and terminating pods that were never scheduled.
 */
package io.kube4j.controllers.podgc;
