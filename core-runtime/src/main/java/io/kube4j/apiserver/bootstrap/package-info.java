/** What the API server makes sure of at start: system namespaces and the kubernetes Service. */
package io.kube4j.apiserver.bootstrap;
