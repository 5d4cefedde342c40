/**
 * The proxy host, kube4j's kube-proxy: for each node of the profile it watches Services and
 * EndpointSlices through shared informers, reduces them to a {@link io.kube4j.api.proxy.ProxyState}
 * ({@link io.kube4j.runtime.proxy.ProxyStates}) and keeps the profile's
 * {@link io.kube4j.api.proxy.ProxyMode} in step with it: a full sync at start and every
 * {@code syncPeriod}, incremental syncs of the changed service ports in between, at most one per
 * {@code minSyncPeriod}, retried with back-off.
 */
package io.kube4j.runtime.proxy;
