/** The ReplicaSet controller (which also keeps ReplicationControllers), with controller expectations and controllerRef adoption and release. */
package io.kube4j.controllers.replicaset;
