/**
 * The cluster DNS add-on {@code dns}: answers {@code <svc>.<ns>.svc.<domain>} (A, SRV, CNAME for
 * ExternalName), the endpoints of headless Services and {@code <a-b-c-d>.<ns>.pod.<domain>} from
 * informers of Services, EndpointSlices and Pods, over UDP and TCP, says NXDOMAIN for other names in
 * the cluster domain and forwards the rest to upstream resolvers. It keeps the {@code kube-system/kube-dns}
 * Service, whose selector-less Endpoints and EndpointSlice point at where it really listens.
 */
package io.kube4j.network.dns;
