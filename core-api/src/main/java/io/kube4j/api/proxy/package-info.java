/**
 * Service routing on a node, as kube-proxy does it: the proxy host watches Services and
 * EndpointSlices, reduces them to a {@link io.kube4j.api.proxy.ProxyState} of service ports and
 * their endpoints, and hands it to the configured {@link io.kube4j.api.proxy.ProxyMode}
 * ({@code userspace}, {@code iptables}), which makes the node's data plane route each service
 * port's virtual IP to its endpoints.
 */
package io.kube4j.api.proxy;
