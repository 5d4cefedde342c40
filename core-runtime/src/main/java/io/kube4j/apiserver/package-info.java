/** The kube4j API server: the Kubernetes REST API over a pluggable store. */
package io.kube4j.apiserver;
