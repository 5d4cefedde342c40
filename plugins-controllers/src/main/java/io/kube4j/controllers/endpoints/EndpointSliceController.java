package io.kube4j.controllers.endpoints;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Kube-controller-manager's EndpointSlice controller ({@code pkg/controller/endpointslice} and the
 * reconciler of {@code staging/src/k8s.io/endpointslice}), keyed by Service.
 *
 * <ul>
 *   <li>Services without a selector, or of type ExternalName, are left alone.</li>
 *   <li>Every selected pod with an IP that is not finished for good is an endpoint (terminating pods
 *       too) with the conditions {@code ready} (Ready and not terminating, or the Service publishes
 *       not-ready addresses), {@code serving} (Ready, or published) and {@code terminating}, its
 *       {@code nodeName}, {@code zone} (its node's {@code topology.kubernetes.io/zone}),
 *       {@code hostname} and {@code targetRef}.</li>
 *   <li>Endpoints are grouped by address type and by their resolved ports; each group fills slices
 *       of at most {@value #MAX_ENDPOINTS} endpoints. Endpoints stay in the slice they are in (changed
 *       ones updated in place, gone ones removed), new ones fill free room first and then new
 *       slices; a slice left empty, or of a group no longer wanted, is deleted. With no endpoint at all
 *       one placeholder slice (no ports, no endpoints) remains, as upstream.</li>
 *   <li>Slices are named {@code <service>-<random>}, labelled {@code kubernetes.io/service-name} and
 *       {@code endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io} (plus the
 *       Service's labels and {@code service.kubernetes.io/headless}), and owned by the Service, so the
 *       garbage collector removes them with it.</li>
 *   <li>The slices are read live (a labelled list) rather than from the cache, so a cache that has not
 *       yet seen this controller's last create never makes it create a second one (upstream keeps an
 *       {@code EndpointSliceTracker} of generations for that).</li>
 * </ul>
 */
final class EndpointSliceController implements Controller {
    static final int MAX_ENDPOINTS = 100;
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    static final String MANAGED_BY = "endpointslice-controller.k8s.io";
    private static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private final ApiClient client;
    private final Lister<Service> services;
    private final Lister<Pod> pods;
    private final Lister<Node> nodes;

    EndpointSliceController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.services = context.lister(Service.class);
        this.pods = context.lister(Pod.class);
        this.nodes = context.lister(Node.class);
    }

    @Override
    public String name() {
        return EndpointSliceControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Service.class), WatchSource.watches(Pod.class, this::servicesSelecting),
                WatchSource.watches(EndpointSlice.class, EndpointSliceController::serviceOf),
                // only so that the Node cache (for zones) has synced before the first reconcile
                WatchSource.watches(Node.class, node -> List.of()));
    }

    private List<Request> servicesSelecting(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        return services.list(ns == null ? "" : ns).stream()
                .filter(s -> PodEndpoints.managed(s) && PodEndpoints.selects(s.getSpec().getSelector(), pod.getMetadata().getLabels()))
                .map(Request::of).toList();
    }

    private static List<Request> serviceOf(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        if (labels == null || !MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL)) || labels.get(SERVICE_NAME_LABEL) == null
                || labels.get(SERVICE_NAME_LABEL).isEmpty()) {
            return List.of();
        }
        return List.of(new Request(Request.of(slice).namespace(), labels.get(SERVICE_NAME_LABEL)));
    }

    /** The group of slices an endpoint goes to: its address type and its ports. */
    private record Group(String addressType, List<EndpointPort> ports) {
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Service> cached = services.get(request);
        if (cached.isEmpty() || !PodEndpoints.managed(cached.get()) || cached.get().getMetadata().getDeletionTimestamp() != null) {
            // Slices of a deleted Service go with it through their ownerReference.
            return Result.done();
        }
        Service service = cached.get();
        Map<Group, Map<String, Endpoint>> desired = desired(service);
        List<EndpointSlice> existing = new ArrayList<>(client.list(EndpointSlice.class, ListOptions.inNamespace(request.namespace())
                .withLabelSelector(SERVICE_NAME_LABEL + "=" + request.name() + "," + MANAGED_BY_LABEL + "=" + MANAGED_BY)).items());
        existing.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        Map<String, String> labels = labels(service);

        if (desired.isEmpty()) {
            placeholderOnly(service, existing, labels);
            return Result.done();
        }
        for (var entry : desired.entrySet()) {
            Group group = entry.getKey();
            Map<String, Endpoint> wanted = new LinkedHashMap<>(entry.getValue());
            List<EndpointSlice> mine = existing.stream().filter(s -> groupOf(s).equals(group)).toList();
            List<List<Endpoint>> contents = new ArrayList<>();
            for (EndpointSlice slice : mine) {
                List<Endpoint> kept = new ArrayList<>();
                for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
                    Endpoint now = wanted.remove(key(e));
                    if (now != null) {
                        kept.add(now);
                    }
                }
                contents.add(kept);
            }
            // New endpoints fill the free room of existing slices first, then new slices.
            var rest = new ArrayList<>(wanted.values()).iterator();
            for (List<Endpoint> kept : contents) {
                while (kept.size() < MAX_ENDPOINTS && rest.hasNext()) {
                    kept.add(rest.next());
                }
            }
            for (int i = 0; i < mine.size(); i++) {
                write(mine.get(i), contents.get(i), labels, false);
            }
            while (rest.hasNext()) {
                List<Endpoint> fresh = new ArrayList<>();
                while (fresh.size() < MAX_ENDPOINTS && rest.hasNext()) {
                    fresh.add(rest.next());
                }
                client.create(new EndpointSliceBuilder().withNewMetadata().withNamespace(request.namespace())
                        .withGenerateName(request.name() + "-").withLabels(new HashMap<>(labels)).withOwnerReferences(ownerRef(service))
                        .endMetadata().withAddressType(group.addressType()).withPorts(new ArrayList<>(group.ports()))
                        .withEndpoints(fresh).build());
            }
        }
        for (EndpointSlice slice : existing) {
            if (!desired.containsKey(groupOf(slice))) {
                delete(slice);
            }
        }
        return Result.done();
    }

    private void placeholderOnly(Service service, List<EndpointSlice> existing, Map<String, String> labels) {
        Optional<EndpointSlice> placeholder = existing.stream()
                .filter(s -> (s.getEndpoints() == null || s.getEndpoints().isEmpty()) && (s.getPorts() == null || s.getPorts().isEmpty()))
                .findFirst();
        for (EndpointSlice slice : existing) {
            if (placeholder.isEmpty() || slice != placeholder.get()) {
                delete(slice);
            }
        }
        if (placeholder.isPresent()) {
            write(placeholder.get(), List.of(), labels, true);
        } else {
            client.create(new EndpointSliceBuilder().withNewMetadata().withNamespace(service.getMetadata().getNamespace())
                    .withGenerateName(service.getMetadata().getName() + "-").withLabels(new HashMap<>(labels))
                    .withOwnerReferences(ownerRef(service)).endMetadata().withAddressType("IPv4").build());
        }
    }

    /** Writes {@code slice} with {@code endpoints} if anything changed; an emptied slice is deleted unless it is the placeholder. */
    private void write(EndpointSlice slice, List<Endpoint> endpoints, Map<String, String> labels, boolean placeholder) {
        if (endpoints.isEmpty() && !placeholder) {
            delete(slice);
            return;
        }
        List<Endpoint> old = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
        Map<String, String> oldLabels = slice.getMetadata().getLabels() == null ? Map.of() : slice.getMetadata().getLabels();
        if (old.equals(endpoints) && oldLabels.equals(labels)) {
            return;
        }
        client.update(new EndpointSliceBuilder(slice).editMetadata().withLabels(new HashMap<>(labels)).endMetadata()
                .withEndpoints(new ArrayList<>(endpoints)).build());
    }

    private void delete(EndpointSlice slice) {
        try {
            client.delete(EndpointSlice.class, slice.getMetadata().getNamespace(), slice.getMetadata().getName(), DeleteOptions.DEFAULT);
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private Map<Group, Map<String, Endpoint>> desired(Service service) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        Map<Group, Map<String, Endpoint>> groups = new LinkedHashMap<>();
        List<Pod> selected = pods.list(service.getMetadata().getNamespace()).stream()
                .filter(p -> PodEndpoints.selects(service.getSpec().getSelector(), p.getMetadata().getLabels())
                        && PodEndpoints.shouldBeInEndpoints(p, true))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        for (Pod pod : selected) {
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort sp : servicePorts) {
                OptionalInt number = PodEndpoints.findPort(pod, sp);
                if (number.isPresent()) {
                    ports.add(new EndpointPortBuilder().withName(sp.getName() == null ? "" : sp.getName()).withPort(number.getAsInt())
                            .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol()).withAppProtocol(sp.getAppProtocol()).build());
                }
            }
            ports.sort(Comparator.comparing((EndpointPort p) -> Objects.toString(p.getName(), "")).thenComparing(EndpointPort::getPort));
            String ip = pod.getStatus().getPodIP();
            boolean podReady = PodEndpoints.isReady(pod);
            boolean terminating = PodEndpoints.isTerminating(pod);
            boolean serving = publishNotReady || podReady;
            boolean ready = publishNotReady || (podReady && !terminating);
            String nodeName = pod.getSpec().getNodeName();
            String zone = nodeName == null ? null : nodes.get("", nodeName)
                    .map(n -> n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(ZONE_LABEL)).orElse(null);
            Endpoint endpoint = new EndpointBuilder().withAddresses(ip).withNewConditions().withReady(ready).withServing(serving)
                    .withTerminating(terminating).endConditions().withHostname(PodEndpoints.hostname(pod, service))
                    .withNodeName(nodeName).withZone(zone).withTargetRef(PodEndpoints.targetRef(pod)).build();
            groups.computeIfAbsent(new Group(ip.contains(":") ? "IPv6" : "IPv4", List.copyOf(ports)), g -> new LinkedHashMap<>())
                    .put(key(endpoint), endpoint);
        }
        return groups;
    }

    private static Group groupOf(EndpointSlice slice) {
        List<EndpointPort> ports = new ArrayList<>(slice.getPorts() == null ? List.of() : slice.getPorts());
        ports.sort(Comparator.comparing((EndpointPort p) -> Objects.toString(p.getName(), "")).thenComparing(EndpointPort::getPort));
        return new Group(slice.getAddressType(), List.copyOf(ports));
    }

    /** An endpoint's identity across updates: its pod, else its first address. */
    private static String key(Endpoint endpoint) {
        if (endpoint.getTargetRef() != null && endpoint.getTargetRef().getUid() != null) {
            return endpoint.getTargetRef().getUid();
        }
        return endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty() ? "" : endpoint.getAddresses().get(0);
    }

    private static Map<String, String> labels(Service service) {
        Map<String, String> labels = new TreeMap<>(service.getMetadata().getLabels() == null ? Map.of() : service.getMetadata().getLabels());
        labels.put(SERVICE_NAME_LABEL, service.getMetadata().getName());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        if (PodEndpoints.headless(service)) {
            labels.put(EndpointsController.HEADLESS_LABEL, "");
        } else {
            labels.remove(EndpointsController.HEADLESS_LABEL);
        }
        return labels;
    }

    private static OwnerReference ownerRef(HasMetadata service) {
        return new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service").withName(service.getMetadata().getName())
                .withUid(service.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }
}
