/** {@link io.kube4j.api.client.ApiClient}: how components reach the API server, and its HTTP implementation. */
package io.kube4j.api.client;
