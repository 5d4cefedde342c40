package io.kube4j.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kube4j.api.controller.Request;
import io.kube4j.controllers.testing.FakeCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ReplicaSet controller's reconcile, for ReplicaSets and for ReplicationControllers. */
class TestReplicaSetController {
    private static final String NS = "default";
    private final FakeCluster cluster = new FakeCluster();

    private ReplicationController rc(String name, int replicas) {
        return cluster.client().create(new ReplicationControllerBuilder().withNewMetadata().withNamespace(NS).withName(name)
                .endMetadata().withNewSpec().withReplicas(replicas).addToSelector("app", name).withNewTemplate().withNewMetadata()
                .addToLabels("app", name).addToLabels("tier", "web").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build());
    }

    private List<Pod> pods() {
        return cluster.all(Pod.class, NS).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private ReplicaSetController<ReplicationController> rcController() {
        return new ReplicaSetController<>(ReplicaKind.REPLICATION_CONTROLLER, cluster);
    }

    @Test
    void aReplicationControllerGetsItsPodsOwnedAsV1AndItsStatusOnTheNextReconcile() {
        var controller = rcController();
        rc("web", 3);
        controller.reconcile(new Request(NS, "web"));
        assertThat(pods()).hasSize(3).allSatisfy(p -> {
            assertThat(p.getMetadata().getName()).startsWith("web-");
            assertThat(p.getMetadata().getLabels()).containsEntry("app", "web").containsEntry("tier", "web");
            assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
                assertThat(r.getKind()).isEqualTo("ReplicationController");
                assertThat(r.getApiVersion()).isEqualTo("v1");
                assertThat(r.getController()).isTrue();
                assertThat(r.getBlockOwnerDeletion()).isTrue();
            });
        });
        controller.reconcile(new Request(NS, "web"));
        ReplicationController rc = cluster.get(ReplicationController.class, NS, "web");
        assertThat(rc.getStatus().getReplicas()).isEqualTo(3);
        assertThat(rc.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
        assertThat(rc.getStatus().getReadyReplicas()).isZero();
        assertThat(rc.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(cluster.events()).filteredOn(e -> e.startsWith("SuccessfulCreate")).hasSize(3);
    }

    @Test
    void aReplicationControllerScalesDownAndCountsReadyPods() {
        var controller = rcController();
        ReplicationController rc = rc("web", 3);
        controller.reconcile(new Request(NS, "web"));
        Pod ready = pods().get(0);
        cluster.client().updateStatus(new PodBuilder(ready).withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus("True").withLastTransitionTime(cluster.fakeClock().instant().toString()).endCondition().endStatus()
                .build());
        rc = cluster.get(ReplicationController.class, NS, "web");
        rc.getSpec().setReplicas(1);
        cluster.client().update(rc);
        controller.reconcile(new Request(NS, "web"));
        assertThat(pods()).as("the not ready ones go first").extracting(p -> p.getMetadata().getName())
                .containsExactly(ready.getMetadata().getName());
        controller.reconcile(new Request(NS, "web"));
        rc = cluster.get(ReplicationController.class, NS, "web");
        assertThat(rc.getStatus().getReplicas()).isEqualTo(1);
        assertThat(rc.getStatus().getReadyReplicas()).isEqualTo(1);
        assertThat(rc.getStatus().getAvailableReplicas()).isEqualTo(1);
        assertThat(rc.getStatus().getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void aReplicationControllerAdoptsMatchingOrphansAndIgnoresOthers() {
        cluster.client().create(new PodBuilder().withNewMetadata().withNamespace(NS).withName("orphan").addToLabels("app", "web")
                .endMetadata().withNewSpec().endSpec().build());
        cluster.client().create(new PodBuilder().withNewMetadata().withNamespace(NS).withName("other").addToLabels("app", "db")
                .endMetadata().withNewSpec().endSpec().build());
        var controller = rcController();
        rc("web", 2);
        assertThat(controller.watches()).hasSize(3);
        controller.reconcile(new Request(NS, "web"));
        Pod orphan = cluster.get(Pod.class, NS, "orphan");
        assertThat(orphan.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getKind()).isEqualTo("ReplicationController"));
        assertThat(cluster.get(Pod.class, NS, "other").getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(pods()).hasSize(3).filteredOn(p -> "web".equals(p.getMetadata().getLabels().get("app"))).hasSize(2);
    }

    @Test
    void replicaSetsAndReplicationControllersDoNotClaimEachOthersPods() {
        var rcs = rcController();
        var replicaSets = new ReplicaSetController<>(ReplicaKind.REPLICA_SET, cluster);
        rc("web", 1);
        cluster.client().create(new ReplicaSetBuilder().withNewMetadata().withNamespace(NS).withName("web").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "web").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().endTemplate().endSpec().build());
        rcs.reconcile(new Request(NS, "web"));
        replicaSets.reconcile(new Request(NS, "web"));
        rcs.reconcile(new Request(NS, "web"));
        replicaSets.reconcile(new Request(NS, "web"));
        assertThat(pods()).hasSize(3);
        assertThat(pods()).filteredOn(p -> p.getMetadata().getOwnerReferences().get(0).getKind().equals("ReplicaSet")).hasSize(2);
        assertThat(cluster.get(ReplicaSet.class, NS, "web").getStatus().getReplicas()).isEqualTo(2);
        assertThat(cluster.get(ReplicationController.class, NS, "web").getStatus().getReplicas()).isEqualTo(1);
    }
}
