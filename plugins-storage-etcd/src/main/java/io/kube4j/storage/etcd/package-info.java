/**
 * The {@code etcd} storage backend: the Store contract over a real etcd v3 cluster through jetcd,
 * keys laid out as kube-apiserver lays them and values as JSON, so that {@code etcdctl get} reads
 * them. A module of its own so that profiles on sqlite or memory do not load etcd's gRPC stack.
 */
package io.kube4j.storage.etcd;
