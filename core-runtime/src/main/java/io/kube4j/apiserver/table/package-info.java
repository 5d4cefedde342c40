/**
 * Server-side printing: turns objects into the {@code meta.k8s.io/v1} Table that {@code kubectl get}
 * asks for, with the columns kube-apiserver prints for each built-in type.
 */
package io.kube4j.apiserver.table;
