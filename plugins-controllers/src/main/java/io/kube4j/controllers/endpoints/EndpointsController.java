package io.kube4j.controllers.endpoints;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
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
 * Kube-controller-manager's Endpoints controller ({@code pkg/controller/endpoint}), keyed by Service.
 *
 * <ul>
 *   <li>A Service without a selector (or of type ExternalName) is left alone: its Endpoints are whoever
 *       wrote them. A deleted Service's Endpoints are deleted, except the leader-election records that
 *       carry {@code control-plane.alpha.kubernetes.io/leader}.</li>
 *   <li>Every selected pod with an IP that is not finished for good (and not terminating, unless
 *       {@code publishNotReadyAddresses}) becomes an address (ip, nodeName, hostname, targetRef): in
 *       {@code addresses} when Ready or when the Service publishes not-ready addresses, else in
 *       {@code notReadyAddresses}.</li>
 *   <li>Each Service port is resolved per pod (a number, or a container port name of the same
 *       protocol); a pod without the named port is left out of that port. Addresses with the same
 *       ports share a subset (kube's {@code RepackSubsets}). A headless Service without ports lists
 *       its addresses without ports.</li>
 *   <li>The Endpoints carry the Service's labels (plus {@code service.kubernetes.io/headless} for a
 *       headless one) and are written only when they change.</li>
 * </ul>
 */
final class EndpointsController implements Controller {
    static final String LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader";
    static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

    private final ApiClient client;
    private final Lister<Service> services;
    private final Lister<Pod> pods;
    private final Lister<Endpoints> endpoints;

    EndpointsController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.services = context.lister(Service.class);
        this.pods = context.lister(Pod.class);
        this.endpoints = context.lister(Endpoints.class);
    }

    @Override
    public String name() {
        return EndpointsControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Service.class), WatchSource.watches(Pod.class, this::servicesSelecting),
                // a deleted or hand-edited Endpoints of a managed Service is put back
                WatchSource.watches(Endpoints.class, this::managedService));
    }

    private List<Request> servicesSelecting(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        return services.list(ns == null ? "" : ns).stream()
                .filter(s -> PodEndpoints.managed(s) && PodEndpoints.selects(s.getSpec().getSelector(), pod.getMetadata().getLabels()))
                .map(Request::of).toList();
    }

    private List<Request> managedService(Endpoints endpoints) {
        Optional<Service> service = services.get(Request.of(endpoints).namespace(), endpoints.getMetadata().getName());
        if (service.isEmpty()) {
            // Its Service is gone: an Endpoints that this controller created just before the Service's
            // deletion was handled (the cache did not hold it yet) is deleted now.
            return List.of(Request.of(endpoints));
        }
        return service.filter(PodEndpoints::managed).map(s -> List.of(Request.of(s))).orElse(List.of());
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Service> cached = services.get(request);
        if (cached.isEmpty()) {
            deleteLeftover(request);
            return Result.done();
        }
        Service service = cached.get();
        if (!PodEndpoints.managed(service) || service.getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        List<EndpointSubset> subsets = subsets(service);
        Map<String, String> labels = new TreeMap<>(service.getMetadata().getLabels() == null ? Map.of() : service.getMetadata().getLabels());
        if (PodEndpoints.headless(service)) {
            labels.put(HEADLESS_LABEL, "");
        } else {
            labels.remove(HEADLESS_LABEL);
        }
        Optional<Endpoints> current = endpoints.get(request);
        if (current.isEmpty()) {
            Endpoints created = new EndpointsBuilder().withNewMetadata().withNamespace(request.namespace())
                    .withName(request.name()).withLabels(labels.isEmpty() ? null : new HashMap<>(labels)).endMetadata()
                    .withSubsets(subsets.isEmpty() ? null : subsets).build();
            try {
                client.create(created);
            } catch (ApiException e) {
                if (!e.isConflict()) {
                    throw e;
                }
                return Result.requeue();
            }
            return Result.done();
        }
        Endpoints old = current.get();
        List<EndpointSubset> oldSubsets = old.getSubsets() == null ? List.of() : old.getSubsets();
        Map<String, String> oldLabels = old.getMetadata().getLabels() == null ? Map.of() : old.getMetadata().getLabels();
        if (oldSubsets.equals(subsets) && oldLabels.equals(labels)) {
            return Result.done();
        }
        client.update(new EndpointsBuilder(old).editMetadata().withLabels(labels.isEmpty() ? null : new HashMap<>(labels))
                .endMetadata().withSubsets(subsets.isEmpty() ? null : subsets).build());
        return Result.done();
    }

    private void deleteLeftover(Request request) {
        Optional<Endpoints> leftover = endpoints.get(request);
        if (leftover.isEmpty() || (leftover.get().getMetadata().getAnnotations() != null
                && leftover.get().getMetadata().getAnnotations().containsKey(LEADER_ANNOTATION))) {
            return;
        }
        // A Service of that name may have come back since the cache was read.
        if (client.get(Service.class, request.namespace(), request.name()).isPresent()) {
            return;
        }
        try {
            client.delete(Endpoints.class, request.namespace(), request.name(), DeleteOptions.DEFAULT);
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private record Address(EndpointAddress address, boolean ready) {
    }

    /** The subsets, as kube's {@code RepackSubsets}: addresses grouped by the set of ports they serve. */
    private List<EndpointSubset> subsets(Service service) {
        boolean publishNotReady = Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
        List<ServicePort> servicePorts = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        if (servicePorts.isEmpty() && !PodEndpoints.headless(service)) {
            return List.of();
        }
        // port set (by key) -> addresses
        Map<List<String>, List<EndpointPort>> portSets = new LinkedHashMap<>();
        Map<List<String>, List<Address>> addressesBySet = new HashMap<>();
        for (Pod pod : pods.list(service.getMetadata().getNamespace())) {
            if (!PodEndpoints.selects(service.getSpec().getSelector(), pod.getMetadata().getLabels())
                    || !PodEndpoints.shouldBeInEndpoints(pod, publishNotReady)) {
                continue;
            }
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort sp : servicePorts) {
                OptionalInt number = PodEndpoints.findPort(pod, sp);
                if (number.isPresent()) {
                    ports.add(new EndpointPortBuilder().withName(sp.getName()).withPort(number.getAsInt())
                            .withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol())
                            .withAppProtocol(sp.getAppProtocol()).build());
                }
            }
            if (!servicePorts.isEmpty() && ports.isEmpty()) {
                continue;
            }
            ports.sort(Comparator.comparing((EndpointPort p) -> Objects.toString(p.getName(), "")).thenComparing(EndpointPort::getPort));
            List<String> key = ports.stream().map(p -> p.getName() + "/" + p.getPort() + "/" + p.getProtocol()).toList();
            portSets.putIfAbsent(key, ports);
            EndpointAddress address = new EndpointAddressBuilder().withIp(pod.getStatus().getPodIP())
                    .withNodeName(pod.getSpec().getNodeName()).withHostname(PodEndpoints.hostname(pod, service))
                    .withTargetRef(PodEndpoints.targetRef(pod)).build();
            addressesBySet.computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new Address(address, publishNotReady || PodEndpoints.isReady(pod)));
        }
        List<EndpointSubset> subsets = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>(portSets.keySet());
        keys.sort(Comparator.comparing((List<String> k) -> String.join(",", k)));
        for (List<String> key : keys) {
            List<Address> all = addressesBySet.get(key);
            Comparator<EndpointAddress> byIp = Comparator.comparing(EndpointAddress::getIp)
                    .thenComparing(a -> a.getTargetRef().getName());
            List<EndpointAddress> ready = all.stream().filter(Address::ready).map(Address::address).sorted(byIp).toList();
            List<EndpointAddress> notReady = all.stream().filter(a -> !a.ready()).map(Address::address).sorted(byIp).toList();
            List<EndpointPort> ports = portSets.get(key);
            subsets.add(new EndpointSubsetBuilder().withAddresses(ready.isEmpty() ? null : new ArrayList<>(ready))
                    .withNotReadyAddresses(notReady.isEmpty() ? null : new ArrayList<>(notReady))
                    .withPorts(ports.isEmpty() ? null : new ArrayList<>(ports)).build());
        }
        return subsets;
    }
}
