/**
 * The {@code NamespaceLifecycle} admission plugin: no new content in a namespace that does not
 * exist or is being terminated, and the system namespaces cannot be deleted.
 */
package io.kube4j.admission.namespacelifecycle;
