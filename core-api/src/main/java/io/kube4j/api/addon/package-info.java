/**
 * Add-ons: cluster services such as DNS, ingress or metrics that run beside the control plane and,
 * like any other component, meet it only through the API server ({@link io.kube4j.api.client.ApiClient}
 * and shared informers). A profile lists them under {@code addons:}; the runtime creates each with
 * {@link io.kube4j.api.addon.AddOnFactory#create}, starts them in order once the API server answers
 * and closes them in reverse order when the cluster stops.
 */
package io.kube4j.api.addon;
