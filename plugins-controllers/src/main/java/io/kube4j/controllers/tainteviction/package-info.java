/**
 * The taint eviction controller (the NoExecute taint manager): deletes the pods of a node with a
 * NoExecute taint they do not tolerate, at once or when their {@code tolerationSeconds} run out.
 */
package io.kube4j.controllers.tainteviction;
