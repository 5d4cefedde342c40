/**
 * The cluster's certificates: a CA, the API server's serving certificate and the admin client
 * certificate, created once in the data directory and reused afterwards.
 */
package io.kube4j.runtime.pki;
