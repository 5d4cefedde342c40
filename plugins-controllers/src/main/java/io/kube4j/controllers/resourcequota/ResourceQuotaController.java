package io.kube4j.controllers.resourcequota;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.SharedInformer;
import io.kube4j.api.controller.SharedInformerFactory;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kube-controller-manager's resource quota controller ({@code pkg/controller/resourcequota}), keyed by
 * ResourceQuota. {@code status.hard} is {@code spec.hard}; {@code status.used} has, for each resource
 * in it: object counts ({@code pods} counts pods that are not Succeeded or Failed, {@code services},
 * {@code services.loadbalancers}, {@code services.nodeports}, {@code configmaps}, {@code secrets},
 * {@code replicationcontrollers}, {@code resourcequotas}, {@code persistentvolumeclaims}, and
 * {@code count/<resource>.<group>} of any stored type) and the compute requests and limits of the
 * counted pods ({@code requests.cpu} or {@code cpu}, {@code limits.memory}, {@code requests.X} ...),
 * restricted to the pods in the quota's scopes. Recalculated when a quota or an object of its
 * namespace of a common type ({@link #WATCHED}) changes, and every {@code resyncPeriod}; a quota
 * counting another type is recounted every 10 s (upstream watches every type).
 */
final class ResourceQuotaController implements Controller {
    private static final Duration NOT_SYNCED = Duration.ofSeconds(1);
    private static final Map<String, String> LEGACY_COUNTS = Map.of("pods", "pods", "services", "services",
            "configmaps", "configmaps", "secrets", "secrets", "replicationcontrollers", "replicationcontrollers",
            "resourcequotas", "resourcequotas", "persistentvolumeclaims", "persistentvolumeclaims");

    /** The types whose changes recount the quotas of their namespace at once; others wait for the next resync. */
    private static final List<Class<? extends HasMetadata>> WATCHED = List.of(Pod.class, Service.class, ConfigMap.class,
            Secret.class, ReplicationController.class, Deployment.class, ReplicaSet.class, StatefulSet.class,
            DaemonSet.class, Job.class, CronJob.class);
    /** How soon a quota counting a type without events here is recounted, when sooner than the resync. */
    private static final Duration UNWATCHED_RECOUNT = Duration.ofSeconds(10);

    private final ApiClient client;
    private final SharedInformerFactory informers;
    private final ResourceRegistry registry;
    private final Duration resync;
    private final Lister<ResourceQuota> quotas;
    private final Lister<Pod> pods;
    private final Lister<Service> services;

    ResourceQuotaController(ResourceQuotaConfig config, ControllerContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.informers = context.informers();
        this.registry = context.client().registry();
        this.resync = config.resync();
        this.quotas = context.lister(ResourceQuota.class);
        this.pods = context.lister(Pod.class);
        this.services = context.lister(Service.class);
    }

    @Override
    public String name() {
        return ResourceQuotaControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        List<WatchSource<?>> sources = new ArrayList<>();
        sources.add(WatchSource.forType(ResourceQuota.class));
        for (Class<? extends HasMetadata> type : WATCHED) {
            sources.add(WatchSource.watches(type, this::quotasOf));
        }
        return List.copyOf(sources);
    }

    /** The quotas of the object's namespace; the quota's own events come through its For source. */
    private List<Request> quotasOf(HasMetadata object) {
        String namespace = object.getMetadata().getNamespace();
        return namespace == null ? List.of() : quotas.list(namespace).stream().map(Request::of).toList();
    }

    @Override
    public Result reconcile(Request request) {
        Optional<ResourceQuota> cached = quotas.get(request);
        if (cached.isEmpty()) {
            return Result.done();
        }
        ResourceQuota quota = cached.get();
        Map<String, Quantity> hard = quota.getSpec() == null || quota.getSpec().getHard() == null
                ? Map.of() : quota.getSpec().getHard();
        String namespace = request.namespace();
        List<Pod> counted = pods.list(namespace).stream().filter(QuotaUsage::counts)
                .filter(p -> QuotaUsage.inScopes(p, quota.getSpec())).toList();
        Map<String, Quantity> used = new LinkedHashMap<>();
        for (String name : hard.keySet()) {
            Optional<BigDecimal> amount = usage(name, namespace, counted);
            if (amount.isEmpty()) {
                return Result.requeueAfter(NOT_SYNCED);
            }
            used.put(name, new Quantity(QuotaUsage.format(name, amount.get())));
        }
        ResourceQuotaStatus status = quota.getStatus();
        if (status == null || !QuotaUsage.sameAmounts(status.getHard(), hard) || !QuotaUsage.sameAmounts(status.getUsed(), used)) {
            ResourceQuota copy = new ResourceQuotaBuilder(quota).withNewStatus().withHard(new LinkedHashMap<>(hard))
                    .withUsed(used).endStatus().build();
            try {
                client.updateStatus(copy);
            } catch (ApiException e) {
                if (e.isNotFound()) {
                    return Result.done();
                }
                throw e;
            }
        }
        boolean unwatched = hard.keySet().stream().anyMatch(name -> name.startsWith("count/") && !watched(name));
        return Result.requeueAfter(unwatched && UNWATCHED_RECOUNT.compareTo(resync) < 0 ? UNWATCHED_RECOUNT : resync);
    }

    private boolean watched(String countName) {
        String resource = countName.substring("count/".length());
        int dot = resource.indexOf('.');
        String group = dot < 0 ? "" : resource.substring(dot + 1);
        String plural = dot < 0 ? resource : resource.substring(0, dot);
        return WATCHED.stream().map(registry::byClass).anyMatch(t -> t.group().equals(group) && t.plural().equals(plural));
    }

    /** The namespace's use of one quota resource; empty while the cache it needs has not synced yet. */
    private Optional<BigDecimal> usage(String name, String namespace, List<Pod> counted) {
        if (name.equals("pods") || name.equals("count/pods")) {
            return Optional.of(BigDecimal.valueOf(counted.size()));
        }
        if (name.equals("services.loadbalancers")) {
            return Optional.of(BigDecimal.valueOf(services.list(namespace).stream()
                    .filter(s -> s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType())).count()));
        }
        if (name.equals("services.nodeports")) {
            long ports = 0;
            for (Service s : services.list(namespace)) {
                if (s.getSpec() != null && ("NodePort".equals(s.getSpec().getType()) || "LoadBalancer".equals(s.getSpec().getType()))
                        && s.getSpec().getPorts() != null) {
                    ports += s.getSpec().getPorts().stream().map(ServicePort::getNodePort).filter(p -> p == null || p != 0).count();
                }
            }
            return Optional.of(BigDecimal.valueOf(ports));
        }
        String counted2 = LEGACY_COUNTS.get(name);
        if (counted2 != null) {
            return count("", counted2, namespace);
        }
        if (name.startsWith("count/")) {
            String resource = name.substring("count/".length());
            int dot = resource.indexOf('.');
            return dot < 0 ? count("", resource, namespace) : count(resource.substring(dot + 1), resource.substring(0, dot), namespace);
        }
        return Optional.of(QuotaUsage.sum(counted, name));
    }

    /** How many objects of {@code group}/{@code plural} the namespace has; zero for a type that is not served. */
    private Optional<BigDecimal> count(String group, String plural, String namespace) {
        Optional<ResourceType> type = registry.all().stream()
                .filter(t -> t.group().equals(group) && t.plural().equals(plural) && t.namespaced() && t.persisted()).findFirst();
        if (type.isEmpty()) {
            return Optional.of(BigDecimal.ZERO);
        }
        SharedInformer<? extends HasMetadata> informer = informers.informerFor(type.get().javaType());
        if (!informer.hasSynced()) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(informer.lister().list(namespace).size()));
    }
}
