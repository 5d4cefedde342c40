/**
 * The Endpoints and EndpointSlice controllers: from each Service's selector and the readiness of the
 * pods it selects, the {@code v1} Endpoints object and the {@code discovery.k8s.io/v1} EndpointSlices.
 */
package io.kube4j.controllers.endpoints;
