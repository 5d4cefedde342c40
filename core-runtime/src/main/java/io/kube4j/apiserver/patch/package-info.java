/**
 * The API server's patch engine: RFC 6902 JSON patch, RFC 7386 merge patch, Kubernetes
 * strategic merge patch ({@link io.kube4j.apiserver.patch.Patches}) and server-side apply with
 * {@code metadata.managedFields} bookkeeping ({@link io.kube4j.apiserver.patch.ServerSideApply}).
 * Objects are Jackson trees; every operation returns a new tree and leaves its inputs untouched.
 */
package io.kube4j.apiserver.patch;
