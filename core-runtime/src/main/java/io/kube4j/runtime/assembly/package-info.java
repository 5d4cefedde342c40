/** Guice assembly of a cluster from a profile, its lifecycle, and the embedding entry point {@link io.kube4j.runtime.assembly.Cluster}. */
package io.kube4j.runtime.assembly;
