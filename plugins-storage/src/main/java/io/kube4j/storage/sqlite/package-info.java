/**
 * The {@code sqlite} storage backend, kube4j's embedded default: etcd semantics over one SQLite
 * file in WAL mode, with a kine-like log table (one row per revision), one writer thread that
 * group-commits, and read connections that never wait for it.
 */
package io.kube4j.storage.sqlite;
