/**
 * Recording Kubernetes Events ({@code kubectl get events}) from any component: scheduler,
 * controllers, kubelet, proxy. One recorder per component, shared by its plugins.
 */
package io.kube4j.api.event;
