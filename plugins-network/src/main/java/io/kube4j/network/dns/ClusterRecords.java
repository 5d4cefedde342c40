package io.kube4j.network.dns;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.api.controller.ResourceEventHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the DNS server answers from: the Services, the EndpointSlices of each Service and the
 * namespaces' pod IPs, kept by informer handlers. Reads never block and may run on any thread;
 * each informer calls its handler from one thread, so each map has one writer.
 */
final class ClusterRecords {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final Map<String, Service> services = new ConcurrentHashMap<>();
    /** namespace/service → slice name → slice */
    private final Map<String, Map<String, EndpointSlice>> slices = new ConcurrentHashMap<>();
    /** namespace/pod → its IP */
    private final Map<String, String> podIps = new ConcurrentHashMap<>();
    /** namespace/ip → how many pods have it (host-network pods share their node's) */
    private final Map<String, Integer> ipsInNamespace = new ConcurrentHashMap<>();

    Optional<Service> service(String namespace, String name) {
        return Optional.ofNullable(services.get(namespace + "/" + name));
    }

    /** The slices of the Service {@code namespace/name}. */
    List<EndpointSlice> slices(String namespace, String name) {
        Map<String, EndpointSlice> m = slices.get(namespace + "/" + name);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /** Whether a pod of {@code namespace} has {@code ip}. */
    boolean hasPodIp(String namespace, String ip) {
        return ipsInNamespace.containsKey(namespace + "/" + ip);
    }

    private static String key(io.fabric8.kubernetes.api.model.HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    ResourceEventHandler<Service> serviceHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service s) {
                services.put(key(s), s);
            }

            @Override
            public void onUpdate(Service oldObject, Service s) {
                services.put(key(s), s);
            }

            @Override
            public void onDelete(Service s, boolean finalStateUnknown) {
                services.remove(key(s));
            }
        };
    }

    ResourceEventHandler<EndpointSlice> sliceHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(EndpointSlice s) {
                put(s);
            }

            @Override
            public void onUpdate(EndpointSlice oldObject, EndpointSlice s) {
                remove(oldObject);
                put(s);
            }

            @Override
            public void onDelete(EndpointSlice s, boolean finalStateUnknown) {
                remove(s);
            }

            private void put(EndpointSlice s) {
                String svc = serviceOf(s);
                if (svc != null) {
                    slices.computeIfAbsent(s.getMetadata().getNamespace() + "/" + svc, k -> new ConcurrentHashMap<>())
                            .put(s.getMetadata().getName(), s);
                }
            }

            private void remove(EndpointSlice s) {
                String svc = serviceOf(s);
                if (svc != null) {
                    String k = s.getMetadata().getNamespace() + "/" + svc;
                    Map<String, EndpointSlice> m = slices.get(k);
                    if (m != null) {
                        m.remove(s.getMetadata().getName());
                        if (m.isEmpty()) {
                            slices.remove(k, m);
                        }
                    }
                }
            }
        };
    }

    private static String serviceOf(EndpointSlice s) {
        Map<String, String> labels = s.getMetadata().getLabels();
        return labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    }

    ResourceEventHandler<Pod> podHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod p) {
                set(key(p), ip(p));
            }

            @Override
            public void onUpdate(Pod oldObject, Pod p) {
                set(key(p), ip(p));
            }

            @Override
            public void onDelete(Pod p, boolean finalStateUnknown) {
                set(key(p), null);
            }

            private void set(String podKey, String ip) {
                String ns = podKey.substring(0, podKey.indexOf('/'));
                String before = ip == null ? podIps.remove(podKey) : podIps.put(podKey, ip);
                if (before != null && before.equals(ip)) {
                    return;
                }
                if (before != null) {
                    ipsInNamespace.computeIfPresent(ns + "/" + before, (k, n) -> n <= 1 ? null : n - 1);
                }
                if (ip != null) {
                    ipsInNamespace.merge(ns + "/" + ip, 1, Integer::sum);
                }
            }
        };
    }

    private static String ip(Pod p) {
        String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
        return ip == null || ip.isEmpty() ? null : ip;
    }
}
