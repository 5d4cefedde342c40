/** The garbage collector: ownerReferences, and the Background, Foreground and Orphan deletion propagation. */
package io.kube4j.controllers.garbagecollector;
