package io.kube4j.controllers.replicaset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.kube4j.api.client.HttpApiClient;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A kind the ReplicaSet controller keeps replicas of. As kube's replication controller (which runs
 * the ReplicaSet controller through a conversion), a ReplicationController is seen as a ReplicaSet whose
 * selector is {@code matchLabels}; only its status is written back in its own kind.
 *
 * @param controllerName the controller's profile name
 * @param type the reconciled type
 * @param apiVersion the owner references' apiVersion
 * @param view the object as a ReplicaSet (metadata shared, never changed)
 * @param withStatus a copy of the object with this status
 * @param <T> the reconciled type
 */
record ReplicaKind<T extends HasMetadata>(String controllerName, Class<T> type, String apiVersion,
                                          Function<T, ReplicaSet> view, BiFunction<T, ReplicaSetStatus, T> withStatus) {
    private static final ObjectMapper JSON = HttpApiClient.mapper();

    static final ReplicaKind<ReplicaSet> REPLICA_SET = new ReplicaKind<>(ReplicaSetControllerFactory.NAME, ReplicaSet.class,
            "apps/v1", rs -> rs, (rs, status) -> new ReplicaSetBuilder(rs).withStatus(status).build());

    static final ReplicaKind<ReplicationController> REPLICATION_CONTROLLER = new ReplicaKind<>(
            ReplicationControllerFactory.NAME, ReplicationController.class, "v1", ReplicaKind::asReplicaSet,
            (rc, status) -> new ReplicationControllerBuilder(rc)
                    .withStatus(JSON.convertValue(status, ReplicationControllerStatus.class)).build());

    ReplicaKind {
        requireNonNull(controllerName, "controllerName is null");
        requireNonNull(type, "type is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(view, "view is null");
        requireNonNull(withStatus, "withStatus is null");
    }

    String kind() {
        return HasMetadata.getKind(type);
    }

    /** The API group of {@code apiVersion} ("" for the core group's {@code v1}). */
    static String groupOf(String apiVersion) {
        int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** Whether an owner reference with these kind and apiVersion names this kind (any version of its group). */
    boolean isKindOf(String kind, String ownerApiVersion) {
        return kind().equals(kind) && ownerApiVersion != null && groupOf(apiVersion).equals(groupOf(ownerApiVersion));
    }

    private static ReplicaSet asReplicaSet(ReplicationController rc) {
        var spec = rc.getSpec();
        ReplicaSetBuilder rs = new ReplicaSetBuilder().withMetadata(rc.getMetadata()).withNewSpec()
                .withReplicas(spec.getReplicas()).withMinReadySeconds(spec.getMinReadySeconds())
                .withNewSelector().withMatchLabels(spec.getSelector()).endSelector()
                .withTemplate(spec.getTemplate()).endSpec();
        if (rc.getStatus() != null) {
            rs.withStatus(JSON.convertValue(rc.getStatus(), ReplicaSetStatus.class));
        }
        return rs.build();
    }
}
