/** API discovery documents, legacy and aggregated, built from the resource registry. */
package io.kube4j.apiserver.discovery;
