/**
 * The storage SPI: {@link io.kube4j.api.storage.StorageBackend} opens a
 * {@link io.kube4j.api.storage.Store} with etcd v3 semantics (global revision, compare-and-swap
 * writes, watch from a revision, compaction).
 */
package io.kube4j.api.storage;
