package io.kube4j.controllers.serviceaccount;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.WatchSource;
import java.util.List;
import java.util.Optional;

/**
 * Kube-controller-manager's service account controller ({@code pkg/controller/serviceaccount}):
 * keyed by namespace, it creates the {@code default} ServiceAccount in every namespace that is not
 * terminating, and again when someone deletes it.
 */
final class ServiceAccountController implements Controller {
    static final String DEFAULT = "default";

    private final ApiClient client;
    private final Lister<Namespace> namespaces;
    private final Lister<ServiceAccount> serviceAccounts;

    ServiceAccountController(ControllerContext context) {
        requireNonNull(context, "context is null");
        this.client = context.client();
        this.namespaces = context.lister(Namespace.class);
        this.serviceAccounts = context.lister(ServiceAccount.class);
    }

    @Override
    public String name() {
        return ServiceAccountControllerFactory.NAME;
    }

    @Override
    public List<WatchSource<?>> watches() {
        return List.of(WatchSource.forType(Namespace.class), WatchSource.watches(ServiceAccount.class,
                sa -> DEFAULT.equals(sa.getMetadata().getName())
                        ? List.of(new Request("", sa.getMetadata().getNamespace())) : List.of()));
    }

    @Override
    public Result reconcile(Request request) {
        Optional<Namespace> namespace = namespaces.get(request);
        if (namespace.isEmpty() || namespace.get().getMetadata().getDeletionTimestamp() != null
                || serviceAccounts.get(request.name(), DEFAULT).isPresent()) {
            return Result.done();
        }
        try {
            client.create(new ServiceAccountBuilder().withNewMetadata().withNamespace(request.name()).withName(DEFAULT)
                    .endMetadata().build());
        } catch (ApiException e) {
            // 409: it exists and the cache is behind; 403/404: the namespace began terminating or is gone.
            if (!e.isConflict() && e.code() != 403 && !e.isNotFound()) {
                throw e;
            }
        }
        return Result.done();
    }
}
