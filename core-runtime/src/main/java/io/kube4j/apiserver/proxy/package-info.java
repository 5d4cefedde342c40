/**
 * The {@code proxy} subresource of Services: the API server forwards a request to an endpoint of
 * the Service, as kube-apiserver does for {@code kubectl get --raw .../services/NAME:PORT/proxy/PATH}.
 */
package io.kube4j.apiserver.proxy;
