/**
 * The ingress controller add-on: an HTTP and HTTPS reverse proxy that routes by the Ingresses of its
 * class (networking.k8s.io/v1: host rules with wildcards, Exact and Prefix paths, default
 * backends, TLS from Secrets chosen by SNI) to the ready endpoints of the Services they name.
 */
package io.kube4j.network.ingress;
