package io.kube4j.scheduler.tainttoleration;

import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.nodeInfo;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeScore;
import io.kube4j.api.scheduling.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestTaintTolerationPlugin {
    private final TaintTolerationPlugin plugin = new TaintTolerationPlugin();

    @Test
    void untaintedNodeTakesAnyPod() {
        assertThat(plugin.filter(new CycleState(), pod("p"), nodeInfo(node("n1")))).isEqualTo(Status.success());
    }

    @Test
    void untoleratedNoScheduleOrNoExecuteTaintRejectsNamingTheFirstOne() {
        NodeInfo node = tainted("n1", taint("dedicated", "user1", "PreferNoSchedule"), taint("dedicated", "user2", "NoSchedule"),
                taint("gpu", null, "NoExecute"));

        Status status = plugin.filter(new CycleState(), pod("p"), node);

        assertThat(status).isEqualTo(Status.unschedulableAndUnresolvable("node(s) had untolerated taint {dedicated: user2}"));
        Pod toleratesFirst = withTolerations(pod("p"), toleration("dedicated", "Equal", "user2", "NoSchedule"));
        assertThat(plugin.filter(new CycleState(), toleratesFirst, node).message())
                .isEqualTo("node(s) had untolerated taint {gpu: }");
    }

    @Test
    void toleratedTaintsLetThePodIn() {
        NodeInfo node = tainted("n1", taint("dedicated", "user1", "NoSchedule"), taint("gpu", "true", "NoExecute"));

        Pod pod = withTolerations(pod("p"), toleration("dedicated", null, "user1", null), toleration("gpu", "Exists", null, "NoExecute"));

        assertThat(plugin.filter(new CycleState(), pod, node)).isEqualTo(Status.success());
        assertThat(plugin.filter(new CycleState(), withTolerations(pod("p"), toleration(null, "Exists", null, null)), node))
                .isEqualTo(Status.success());
    }

    @Test
    void tolerationMustMatchValueAndEffect() {
        NodeInfo node = tainted("n1", taint("dedicated", "user1", "NoSchedule"));

        assertThat(plugin.filter(new CycleState(), withTolerations(pod("p"), toleration("dedicated", "Equal", "user2", null)), node)
                .isSuccess()).isFalse();
        assertThat(plugin.filter(new CycleState(), withTolerations(pod("p"), toleration("dedicated", "Exists", null, "NoExecute")), node)
                .isSuccess()).isFalse();
        assertThat(plugin.filter(new CycleState(), withTolerations(pod("p"), toleration("dedicated", "Lt", "user1", null)), node)
                .isSuccess()).isFalse();
    }

    @Test
    void preferNoScheduleTaintsDoNotFilter() {
        assertThat(plugin.filter(new CycleState(), pod("p"), tainted("n1", taint("k", "v", "PreferNoSchedule"))))
                .isEqualTo(Status.success());
    }

    @Test
    void scoreCountsUntoleratedPreferNoScheduleTaintsAndNormalizesInReverse() {
        List<NodeInfo> nodes = List.of(
                tainted("none"),
                tainted("one", taint("cpu-type", "arm64", "PreferNoSchedule"), taint("foo", "bar", "PreferNoSchedule")),
                tainted("two", taint("cpu-type", "arm64", "PreferNoSchedule"), taint("disk", "hdd", "PreferNoSchedule"),
                        taint("foo", "baz", "PreferNoSchedule"), taint("ignored", "x", "NoSchedule")));
        // Tolerates foo=bar; a NoSchedule-only toleration does not count for PreferNoSchedule taints.
        Pod pod = withTolerations(pod("p"), toleration("foo", "Equal", "bar", "PreferNoSchedule"),
                toleration("disk", "Exists", null, "NoSchedule"));

        List<NodeScore> scores = scoreAll(pod, nodes);

        assertThat(scores).containsExactly(new NodeScore("none", 0), new NodeScore("one", 1), new NodeScore("two", 3));
        assertThat(plugin.normalizeScore(new CycleState(), pod, scores))
                .containsExactly(new NodeScore("none", 100), new NodeScore("one", 67), new NodeScore("two", 0));
    }

    @Test
    void noTaintsScoreMaxEverywhere() {
        List<NodeScore> scores = scoreAll(pod("p"), List.of(tainted("a"), tainted("b")));

        assertThat(plugin.normalizeScore(new CycleState(), pod("p"), scores))
                .containsExactly(new NodeScore("a", 100), new NodeScore("b", 100));
    }

    @Test
    void tolerationWithoutEffectToleratesEveryEffect() {
        Toleration anyEffect = toleration("k", "Equal", "v", null);

        assertThat(Tolerations.tolerates(anyEffect, taint("k", "v", "NoSchedule"))).isTrue();
        assertThat(Tolerations.tolerates(anyEffect, taint("k", "v", "PreferNoSchedule"))).isTrue();
        assertThat(Tolerations.tolerates(anyEffect, taint("k", "w", "PreferNoSchedule"))).isFalse();
        assertThat(Tolerations.tolerates(toleration("k", null, null, null), taint("k", null, "NoSchedule"))).isTrue();
    }

    private List<NodeScore> scoreAll(Pod pod, List<NodeInfo> nodes) {
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, pod, nodes)).isEqualTo(Status.success());
        List<NodeScore> scores = new ArrayList<>();
        for (NodeInfo node : nodes) {
            scores.add(new NodeScore(node.nodeName(), plugin.score(state, pod, node)));
        }
        return scores;
    }

    private static NodeInfo tainted(String name, Taint... taints) {
        return nodeInfo(new NodeBuilder(node(name)).editSpec().addToTaints(taints).endSpec().build());
    }

    private static Taint taint(String key, String value, String effect) {
        return new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build();
    }

    private static Toleration toleration(String key, String operator, String value, String effect) {
        return new TolerationBuilder().withKey(key).withOperator(operator).withValue(value).withEffect(effect).build();
    }

    private static Pod withTolerations(Pod pod, Toleration... tolerations) {
        return new PodBuilder(pod).editSpec().addToTolerations(tolerations).endSpec().build();
    }
}
