/**
 * The {@code memory} storage backend: a multi-version store held in the heap, for tests and
 * throw-away clusters. Nothing survives the process.
 */
package io.kube4j.storage.memory;
