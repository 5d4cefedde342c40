/**
 * The OpenAPI documents kube-apiserver publishes at {@code /openapi/v2} and {@code /openapi/v3}: what
 * {@code kubectl explain} reads, what {@code kubectl apply} takes strategic-merge keys from, and
 * what kubectl checks field-validation support against.
 */
package io.kube4j.apiserver.openapi;
