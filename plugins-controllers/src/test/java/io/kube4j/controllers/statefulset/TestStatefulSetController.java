package io.kube4j.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Request;
import io.kube4j.controllers.templates.TemplateRevisions;
import io.kube4j.controllers.testing.FakeCluster;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The StatefulSet controller's reconcile, pods marked Running and Ready by the test as a kubelet would. */
class TestStatefulSetController {
    private static final String NS = "default";
    private static final Request KEY = new Request(NS, "web");
    private final FakeCluster cluster = new FakeCluster();
    private final StatefulSetController controller = new StatefulSetController(cluster);

    private StatefulSet set(int replicas, UnaryOperator<StatefulSetBuilder> edit) {
        StatefulSetBuilder b = new StatefulSetBuilder().withNewMetadata().withNamespace(NS).withName("web").endMetadata().withNewSpec()
                .withReplicas(replicas).withServiceName("nginx").withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage("nginx:1").endContainer().endSpec().endTemplate()
                .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(0).endRollingUpdate()
                .endUpdateStrategy().endSpec();
        return cluster.client().create(edit.apply(b).build());
    }

    private StatefulSet get() {
        return cluster.get(StatefulSet.class, NS, "web");
    }

    private void edit(UnaryOperator<StatefulSetBuilder> edit) {
        cluster.client().update(edit.apply(new StatefulSetBuilder(get())).build());
    }

    private void image(String image) {
        edit(b -> b.editSpec().editTemplate().editSpec().editFirstContainer().withImage(image).endContainer().endSpec().endTemplate()
                .endSpec());
    }

    /** Live pods, by ordinal. */
    private List<Pod> pods() {
        return cluster.all(Pod.class, NS).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    }

    private List<String> names() {
        return pods().stream().map(p -> p.getMetadata().getName()).toList();
    }

    private List<String> images() {
        return pods().stream().map(p -> p.getSpec().getContainers().get(0).getImage()).toList();
    }

    private void markReady(String name) {
        Pod pod = cluster.get(Pod.class, NS, name);
        cluster.client().updateStatus(new PodBuilder(pod).withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
                .withStatus("True").withLastTransitionTime(cluster.fakeClock().instant().toString()).endCondition().endStatus().build());
    }

    private boolean isReady(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    }

    /** Reconciles, marking new pods ready each time, until nothing changes; returns the pod names in creation order. */
    private List<String> settle() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            controller.reconcile(KEY);
            List<Pod> notReady = pods().stream().filter(p -> !isReady(p)).toList();
            if (notReady.isEmpty() && i > 0) {
                controller.reconcile(KEY);
                if (pods().stream().allMatch(this::isReady)) {
                    return created;
                }
            }
            assertThat(notReady).as("ordered: one pod at a time").hasSizeLessThanOrEqualTo(1);
            notReady.forEach(p -> {
                created.add(p.getMetadata().getName());
                markReady(p.getMetadata().getName());
            });
        }
        throw new AssertionError("did not settle: " + names());
    }

    @Test
    void orderedReadyCreatesOnePodAtATimeWithItsIdentity() {
        set(3, b -> b);
        controller.reconcile(KEY);
        controller.reconcile(KEY);
        assertThat(names()).as("web-1 waits for web-0 to be Running and Ready").containsExactly("web-0");
        Pod pod = pods().get(0);
        String revision = get().getStatus().getUpdateRevision();
        assertThat(revision).startsWith("web-");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web")
                .containsEntry(StatefulSetController.POD_NAME_LABEL, "web-0").containsEntry(StatefulSetController.POD_INDEX_LABEL, "0")
                .containsEntry(StatefulSetController.REVISION_LABEL, revision);
        assertThat(pod.getSpec().getHostname()).isEqualTo("web-0");
        assertThat(pod.getSpec().getSubdomain()).isEqualTo("nginx");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getKind()).isEqualTo("StatefulSet");
            assertThat(r.getController()).isTrue();
        });
        assertThat(settle()).containsExactly("web-0", "web-1", "web-2");
        var status = get().getStatus();
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getReadyReplicas()).isEqualTo(3);
        assertThat(status.getAvailableReplicas()).isEqualTo(3);
        assertThat(status.getCurrentReplicas()).isEqualTo(3);
        assertThat(status.getUpdatedReplicas()).isEqualTo(3);
        assertThat(status.getCurrentRevision()).isEqualTo(revision);
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(cluster.events()).contains("SuccessfulCreate create Pod web-0 in StatefulSet web successful");

        ControllerRevision cr = cluster.get(ControllerRevision.class, NS, revision);
        assertThat(cr.getRevision()).isEqualTo(1L);
        assertThat(cr.getMetadata().getLabels()).containsEntry("app", "web").containsKey(Revisions.HASH_LABEL);
        assertThat(cr.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("StatefulSet"));
        assertThat(cr.getData().toString()).contains("$patch=replace");
        assertThat(TemplateRevisions.templateOf(cr)).isEqualTo(get().getSpec().getTemplate());
    }

    @Test
    void orderedScaleDownFromTheHighestOrdinalOneAtATimeWaitingForTermination() {
        set(3, b -> b);
        settle();
        for (Pod p : pods()) {
            cluster.client().update(new PodBuilder(p).editMetadata().addToFinalizers("test/hold").endMetadata().build());
        }
        edit(b -> b.editSpec().withReplicas(1).endSpec());
        controller.reconcile(KEY);
        controller.reconcile(KEY);
        assertThat(cluster.deletions()).extracting(FakeCluster.Deletion::name).containsExactly("web-2");
        Pod terminating = cluster.get(Pod.class, NS, "web-2");
        cluster.client().update(new PodBuilder(terminating).editMetadata().withFinalizers().endMetadata().build());
        controller.reconcile(KEY);
        assertThat(cluster.deletions()).extracting(FakeCluster.Deletion::name).containsExactly("web-2", "web-1");
        assertThat(names()).containsExactly("web-0");
    }

    @Test
    void parallelCreatesAndDeletesAllAtOnce() {
        set(3, b -> b.editSpec().withPodManagementPolicy("Parallel").endSpec());
        controller.reconcile(KEY);
        assertThat(names()).containsExactly("web-0", "web-1", "web-2");
        edit(b -> b.editSpec().withReplicas(1).endSpec());
        controller.reconcile(KEY);
        assertThat(names()).containsExactly("web-0");
        controller.reconcile(KEY);
        assertThat(get().getStatus().getReplicas()).isEqualTo(1);
        assertThat(get().getStatus().getReadyReplicas()).isZero();
    }

    @Test
    void rollingUpdateReplacesFromTheHighestOrdinalThenTheRevisionBecomesCurrent() {
        set(3, b -> b);
        settle();
        String first = get().getStatus().getCurrentRevision();
        image("nginx:2");
        controller.reconcile(KEY);
        String second = get().getStatus().getUpdateRevision();
        assertThat(second).isNotEqualTo(first);
        assertThat(get().getStatus().getCurrentRevision()).isEqualTo(first);
        assertThat(cluster.deletions()).extracting(FakeCluster.Deletion::name).containsExactly("web-2");
        assertThat(settle()).containsExactly("web-2", "web-1", "web-0");
        assertThat(images()).containsOnly("nginx:2");
        var status = get().getStatus();
        assertThat(status.getCurrentRevision()).isEqualTo(second);
        assertThat(status.getUpdatedReplicas()).isEqualTo(3);
        assertThat(status.getCurrentReplicas()).isEqualTo(3);
        assertThat(status.getObservedGeneration()).isEqualTo(2L);
        assertThat(pods()).allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsEntry(StatefulSetController.REVISION_LABEL, second));
    }

    @Test
    void aPartitionKeepsTheLowerOrdinalsAtTheCurrentRevisionEvenWhenRecreated() {
        set(3, b -> b);
        settle();
        edit(b -> b.editSpec().editUpdateStrategy().editRollingUpdate().withPartition(2).endRollingUpdate().endUpdateStrategy()
                .editTemplate().editSpec().editFirstContainer().withImage("nginx:2").endContainer().endSpec().endTemplate().endSpec());
        settle();
        assertThat(images()).containsExactly("nginx:1", "nginx:1", "nginx:2");
        cluster.client().delete(Pod.class, NS, "web-0", DeleteOptions.DEFAULT);
        settle();
        assertThat(images()).as("web-0 is below the partition").containsExactly("nginx:1", "nginx:1", "nginx:2");
        var status = get().getStatus();
        assertThat(status.getUpdatedReplicas()).isEqualTo(1);
        assertThat(status.getCurrentReplicas()).isEqualTo(2);
        assertThat(status.getCurrentRevision()).isNotEqualTo(status.getUpdateRevision());
    }

    @Test
    void onDeleteReplacesOnlyThePodsSomeoneDeleted() {
        set(2, b -> b.editSpec().withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec());
        settle();
        image("nginx:2");
        settle();
        assertThat(images()).containsExactly("nginx:1", "nginx:1");
        cluster.client().delete(Pod.class, NS, "web-1", DeleteOptions.DEFAULT);
        settle();
        assertThat(images()).containsExactly("nginx:1", "nginx:2");
        assertThat(get().getStatus().getUpdatedReplicas()).isEqualTo(1);
    }

    @Test
    void goingBackToAnEarlierTemplateReusesItsRevisionWithTheNextNumberAndHistoryIsTrimmed() {
        set(1, b -> b.editSpec().withRevisionHistoryLimit(1).endSpec());
        settle();
        String first = get().getStatus().getUpdateRevision();
        image("nginx:2");
        settle();
        image("nginx:1");
        settle();
        assertThat(get().getStatus().getUpdateRevision()).isEqualTo(first);
        assertThat(cluster.get(ControllerRevision.class, NS, first).getRevision()).isEqualTo(3L);
        image("nginx:3");
        settle();
        image("nginx:4");
        settle();
        List<ControllerRevision> left = cluster.all(ControllerRevision.class, NS);
        assertThat(left).as("the live one and one more").hasSize(2);
        assertThat(left).extracting(ControllerRevision::getRevision).containsExactlyInAnyOrder(4L, 5L);
    }

    @Test
    void aFailedPodIsDeletedAndMadeAgain() {
        set(1, b -> b);
        settle();
        Pod pod = cluster.get(Pod.class, NS, "web-0");
        cluster.client().updateStatus(new PodBuilder(pod).editStatus().withPhase("Failed").endStatus().build());
        controller.reconcile(KEY);
        assertThat(cluster.deletions()).extracting(FakeCluster.Deletion::name).containsExactly("web-0");
        controller.reconcile(KEY);
        assertThat(cluster.get(Pod.class, NS, "web-0").getMetadata().getUid()).isNotEqualTo(pod.getMetadata().getUid());
    }

    @Test
    void volumeClaimTemplatesBecomeEmptyDirsAndOrdinalsMayStartElsewhere() {
        set(2, b -> b.editSpec().addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().endVolumeClaimTemplate()
                .withNewOrdinals().withStart(5).endOrdinals().editTemplate().editSpec().editFirstContainer().addNewVolumeMount()
                .withName("data").withMountPath("/data").endVolumeMount().endContainer().endSpec().endTemplate().endSpec());
        settle();
        assertThat(names()).containsExactly("web-5", "web-6");
        assertThat(pods().get(0).getSpec().getVolumes()).singleElement().satisfies(v -> {
            assertThat(v.getName()).isEqualTo("data");
            assertThat(v.getEmptyDir()).isNotNull();
        });
        assertThat(pods().get(1).getMetadata().getLabels()).containsEntry(StatefulSetController.POD_INDEX_LABEL, "6");
    }

    @Test
    void anOrphanNamedAfterTheSetIsAdoptedOthersAreNot() {
        cluster.client().create(new PodBuilder().withNewMetadata().withNamespace(NS).withName("web-0").addToLabels("app", "web")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("nginx:1").endContainer().endSpec().build());
        cluster.client().create(new PodBuilder().withNewMetadata().withNamespace(NS).withName("web-x").addToLabels("app", "web")
                .endMetadata().withNewSpec().endSpec().build());
        set(1, b -> b);
        controller.reconcile(KEY);
        assertThat(cluster.get(Pod.class, NS, "web-0").getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getKind()).isEqualTo("StatefulSet"));
        assertThat(cluster.get(Pod.class, NS, "web-x").getMetadata().getOwnerReferences()).isNullOrEmpty();
    }

    @Test
    void aPodRelabelledOutOfTheSelectorIsReleasedAndReplacedLostIdentityLabelsComeBack() {
        set(2, b -> b);
        settle();
        Pod web1 = cluster.get(Pod.class, NS, "web-1");
        web1.getMetadata().getLabels().remove(StatefulSetController.POD_INDEX_LABEL);
        cluster.client().update(web1);
        Pod web0 = cluster.get(Pod.class, NS, "web-0");
        web0.getMetadata().getLabels().put("app", "debug");
        cluster.client().update(web0);
        controller.reconcile(KEY);
        assertThat(cluster.get(Pod.class, NS, "web-0").getMetadata().getOwnerReferences()).isEmpty();
        assertThat(cluster.get(Pod.class, NS, "web-0").getMetadata().getLabels()).as("the name is taken: web-0 waits")
                .containsEntry("app", "debug");
        cluster.client().delete(Pod.class, NS, "web-0", DeleteOptions.DEFAULT);
        settle();
        assertThat(cluster.get(Pod.class, NS, "web-0").getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(cluster.get(Pod.class, NS, "web-1").getMetadata().getLabels()).containsEntry(StatefulSetController.POD_INDEX_LABEL, "1");
    }
}
