package io.kube4j.controllers.namespace;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
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
import io.kube4j.api.resource.ResourceType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kube-controller-manager's namespace controller ({@code pkg/controller/namespace/deletion}). When a
 * namespace has a {@code deletionTimestamp} and still the {@code kubernetes} finalizer in
 * {@code spec.finalizers}, it deletes every object of every namespaced type of the resource
 * registry in it (with {@code deletecollection} where the type has it, else one by one; background
 * propagation; objects already being deleted are left to finish),
 * reports progress in the namespace's status conditions ({@code NamespaceContentRemaining},
 * {@code NamespaceFinalizersRemaining}, {@code NamespaceDeletionContentFailure}, ...), and once
 * nothing is left removes its finalizer through the {@code finalize} subresource, which lets the
 * API server remove the namespace. While content remains (pods in their grace period, objects with
 * finalizers) it checks again after a short wait.
 */
final class NamespaceController implements Controller {
    private static final Logger log = LoggerFactory.getLogger(NamespaceController.class);
    static final String FINALIZER = "kubernetes";
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final ApiClient client;
    private final Lister<Namespace> namespaces;
    private final Clock clock;
    private final List<ResourceType> content;

    NamespaceController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.namespaces = context.lister(Namespace.class);
        this.clock = context.clock();
        this.content = namespacedTypes(client.registry().all());
    }

    /** Every stored namespaced type that can be listed and deleted, once per group and resource. */
    static List<ResourceType> namespacedTypes(List<ResourceType> all) {
        Map<String, ResourceType> byResource = new LinkedHashMap<>();
        for (ResourceType t : all) {
            if (t.namespaced() && t.persisted() && t.verbs().contains("list") && t.verbs().contains("delete")) {
                byResource.putIfAbsent(t.qualifiedName(), t);
            }
        }
        return List.copyOf(byResource.values());
    }

    @Override
    public String name() {
        return NamespaceControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Namespace.class));
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Namespace> cached = namespaces.get(request);
        if (cached.isEmpty() || cached.get().getMetadata().getDeletionTimestamp() == null
                || !finalizers(cached.get()).contains(FINALIZER)) {
            return Result.done();
        }
        // The cache may be behind a finalize that already happened: read the namespace itself.
        Optional<Namespace> live = client.get(Namespace.class, "", request.name());
        if (live.isEmpty() || !finalizers(live.get()).contains(FINALIZER)) {
            return Result.done();
        }
        Namespace namespace = live.get();
        String name = request.name();
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, Integer> finalizersRemaining = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (ResourceType type : content) {
            try {
                deleteAll(type, name, remaining, finalizersRemaining);
            } catch (ApiException e) {
                failures.add(type.qualifiedName() + ": " + e.getMessage());
            }
        }
        updateConditions(namespace, remaining, finalizersRemaining, failures);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("namespace " + name + ": deleting content failed: " + String.join("; ", failures));
        }
        if (!remaining.isEmpty()) {
            log.debug("namespace {}: waiting for {}", name, remaining);
            return Result.requeueAfter(RECHECK);
        }
        finalize(namespace);
        return Result.done();
    }

    /** Deletes the type's objects in the namespace; counts what is still there (being deleted). */
    private void deleteAll(ResourceType type, String namespace, Map<String, Integer> remaining,
                           Map<String, Integer> finalizersRemaining) {
        List<? extends HasMetadata> items = client.list(type.javaType(), ListOptions.inNamespace(namespace)).items();
        if (items.isEmpty()) {
            return;
        }
        if (type.verbs().contains("deletecollection")) {
            // One request for the lot, as kube's deleter; what is left is being deleted (finalizers, grace).
            client.deleteCollection(type.javaType(), ListOptions.inNamespace(namespace),
                    DeleteOptions.DEFAULT.withPropagationPolicy("Background"));
            items = client.list(type.javaType(), ListOptions.inNamespace(namespace)).items();
        }
        int left = 0;
        for (HasMetadata item : items) {
            if (item.getMetadata().getDeletionTimestamp() == null) {
                boolean existed = client.delete(type.javaType(), namespace, item.getMetadata().getName(),
                        DeleteOptions.DEFAULT.withPropagationPolicy("Background"));
                if (!existed) {
                    continue;
                }
                Optional<? extends HasMetadata> after = client.get(type.javaType(), namespace, item.getMetadata().getName());
                if (after.isEmpty()) {
                    continue;
                }
                item = after.get();
            }
            left++;
            List<String> f = item.getMetadata().getFinalizers();
            if (f != null) {
                f.forEach(x -> finalizersRemaining.merge(x, 1, Integer::sum));
            }
        }
        if (left > 0) {
            remaining.put(type.qualifiedName(), left);
        }
    }

    private void finalize(Namespace namespace) {
        List<String> kept = finalizers(namespace).stream().filter(f -> !f.equals(FINALIZER)).toList();
        Namespace finalized = new NamespaceBuilder(namespace).editOrNewSpec().withFinalizers(kept).endSpec().build();
        try {
            client.updateSubresource(Namespace.class, "", namespace.getMetadata().getName(), "finalize", finalized);
            log.info("namespace {}: content deleted, finalized", namespace.getMetadata().getName());
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /** The five conditions kube sets on a terminating namespace; written only when they change. */
    private void updateConditions(Namespace namespace, Map<String, Integer> remaining,
                                  Map<String, Integer> finalizersRemaining, List<String> failures) {
        List<NamespaceCondition> wanted = new ArrayList<>();
        wanted.add(condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered",
                "All resources successfully discovered"));
        wanted.add(condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions",
                "All legacy kube types successfully parsed"));
        wanted.add(failures.isEmpty()
                ? condition("NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization")
                : condition("NamespaceDeletionContentFailure", true, "ContentDeletionFailed",
                        "Failed to delete all resource types, " + failures.size() + " remaining: " + String.join(", ", failures)));
        wanted.add(remaining.isEmpty()
                ? condition("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed")
                : condition("NamespaceContentRemaining", true, "SomeResourcesRemain", "Some resources are remaining: "
                        + remaining.entrySet().stream().map(e -> e.getKey() + " has " + e.getValue() + " resource instances")
                        .collect(Collectors.joining(", "))));
        wanted.add(finalizersRemaining.isEmpty()
                ? condition("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished")
                : condition("NamespaceFinalizersRemaining", true, "SomeFinalizersRemain",
                        "Some content in the namespace has finalizers remaining: " + finalizersRemaining.entrySet().stream()
                                .map(e -> e.getKey() + " in " + e.getValue() + " resource instances")
                                .collect(Collectors.joining(", "))));
        List<NamespaceCondition> current = namespace.getStatus() == null || namespace.getStatus().getConditions() == null
                ? List.of() : namespace.getStatus().getConditions();
        if (sameConditions(current, wanted)) {
            return;
        }
        String now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (NamespaceCondition c : wanted) {
            Optional<NamespaceCondition> old = current.stream().filter(o -> o.getType().equals(c.getType())).findFirst();
            c.setLastTransitionTime(old.filter(o -> o.getStatus().equals(c.getStatus())).map(NamespaceCondition::getLastTransitionTime)
                    .orElse(now));
        }
        Namespace updated = new NamespaceBuilder(namespace).editOrNewStatus().withConditions(wanted).endStatus().build();
        try {
            client.updateStatus(updated);
        } catch (ApiException e) {
            // Only a report: the next pass writes it again.
            log.debug("namespace {}: cannot update conditions: {}", namespace.getMetadata().getName(), e.getMessage());
        }
    }

    private static boolean sameConditions(List<NamespaceCondition> current, List<NamespaceCondition> wanted) {
        if (current.size() != wanted.size()) {
            return false;
        }
        for (NamespaceCondition w : wanted) {
            boolean found = current.stream().anyMatch(c -> c.getType().equals(w.getType())
                    && c.getStatus().equals(w.getStatus()) && java.util.Objects.equals(c.getReason(), w.getReason())
                    && java.util.Objects.equals(c.getMessage(), w.getMessage()));
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static NamespaceCondition condition(String type, boolean status, String reason, String message) {
        return new NamespaceConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
                .withMessage(message).build();
    }

    private static Set<String> finalizers(Namespace namespace) {
        return namespace.getSpec() == null || namespace.getSpec().getFinalizers() == null
                ? Set.of() : new LinkedHashSet<>(namespace.getSpec().getFinalizers());
    }
}
