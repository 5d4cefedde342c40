package io.kube4j.runtime.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.plugin.PluginFactory;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeToStatus;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.PostFilterPlugin;
import io.kube4j.api.scheduling.PostFilterResult;
import io.kube4j.api.scheduling.QueueSortPlugin;
import io.kube4j.api.scheduling.QueuedPodInfo;
import io.kube4j.api.scheduling.QueueingHint;
import io.kube4j.api.scheduling.Resources;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.api.scheduling.Status;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileException;
import io.kube4j.runtime.profile.ProfileLoader;
import io.kube4j.runtime.profile.SchedulerProfile;
import io.kube4j.runtime.scheduler.defaultbinder.DefaultBinderFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Merging a profile with the default plugins, sorting them into points, and the errors, with stand-in plugins. */
class TestFrameworkBuilder {

    private record Sort(String name) implements QueueSortPlugin {
        @Override
        public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
            return a.timestamp().isBefore(b.timestamp());
        }
    }

    private record FilterAndScore(String name) implements FilterPlugin, ScorePlugin {
        @Override
        public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return Status.success();
        }

        @Override
        public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return 0;
        }
    }

    private record FilterOnly(String name) implements FilterPlugin {
        @Override
        public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return Status.success();
        }
    }

    /** Rejects and asks to be retried only when a node named "big" is added. */
    private record Picky(String name) implements FilterPlugin, EnqueueExtensions {
        @Override
        public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
            return Status.unschedulable("too picky");
        }

        @Override
        public List<ClusterEventWithHint> eventsToRegister() {
            return List.of(new ClusterEventWithHint(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD),
                    (pod, oldObject, newObject) -> newObject.map(n -> n.getMetadata().getName()).orElse("").equals("big")
                            ? QueueingHint.QUEUE : QueueingHint.SKIP));
        }
    }

    private record Preempt(String name) implements PostFilterPlugin {
        @Override
        public PostFilterResult postFilter(CycleState state, Pod pod, NodeToStatus filteredNodeStatuses) {
            return PostFilterResult.of(Status.unschedulable("preemption: 0/" + filteredNodeStatuses.statuses().size()
                    + " nodes are available: Preemption is not helpful for scheduling"));
        }
    }

    private record Factory(String name, Function<String, SchedulingPlugin> make) implements SchedulingPluginFactory<NoConfig> {
        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public SchedulingPlugin create(NoConfig config, SchedulingContext context) {
            return make.apply(name);
        }
    }

    private static final PluginRegistry REGISTRY = PluginRegistry.of(Map.of(Family.SCHEDULING, List.<PluginFactory<?>>of(
            new Factory("PrioritySort", Sort::new),
            new Factory("TaintToleration", FilterAndScore::new),
            new Factory("NodeResourcesFit", FilterAndScore::new),
            new Factory("NodeName", FilterOnly::new),
            new Factory("MyFilter", FilterOnly::new),
            new Factory("MyScore", FilterAndScore::new),
            new Factory("Picky", Picky::new),
            new Factory("Preempt", Preempt::new),
            new DefaultBinderFactory())));

    private static Framework build(String schedulerSection) {
        ClusterProfile profile = ProfileLoader.parse("test.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: t}
                """ + schedulerSection);
        SchedulerProfile section = profile.scheduler().orElseThrow();
        RuntimeSchedulingContext context = new RuntimeSchedulingContext("default-scheduler",
                () -> new SchedulerCache.Snapshot(List.of()), () -> {
                    throw new IllegalStateException("no client");
                }, EventRecorder.discarding(), 16, Path.of("."), Clock.systemUTC(), new PodNominator());
        return new FrameworkBuilder(REGISTRY, new PluginBinder(REGISTRY, "test.yaml"))
                .build(section.profiles().getFirst(), 0, context);
    }

    @Test
    void theDefaultsAreKubeSchedulersDefaultsThatThisBuildHas() {
        Framework framework = build("scheduler: {}\n");
        assertThat(framework.schedulerName()).isEqualTo("default-scheduler");
        assertThat(framework.pluginNames()).containsEntry("queueSort", List.of("PrioritySort"))
                .containsEntry("filter", List.of("NodeName", "TaintToleration", "NodeResourcesFit"))
                .containsEntry("score", List.of("TaintToleration:3", "NodeResourcesFit:1"))
                .containsEntry("bind", List.of("DefaultBinder"));
    }

    @Test
    void aProfileDisablesReweightsAndAddsPlugins() {
        Framework framework = build("""
                scheduler:
                  profiles:
                    - schedulerName: default-scheduler
                      plugins:
                        filter:
                          enabled: [{name: MyFilter}]
                          disabled: [{name: NodeName}]
                        score:
                          enabled: [{name: MyScore, weight: 5}, {name: NodeResourcesFit, weight: 2}]
                          disabled: [{name: TaintToleration}]
                """);
        assertThat(framework.pluginNames().get("filter")).containsExactly("TaintToleration", "NodeResourcesFit", "MyFilter");
        assertThat(framework.pluginNames().get("score")).containsExactly("NodeResourcesFit:2", "MyScore:5");
    }

    @Test
    void starDisablesEveryDefaultAtThatPoint() {
        Framework framework = build("""
                scheduler:
                  profiles:
                    - plugins:
                        score: {enabled: [{name: MyScore}], disabled: [{name: "*"}]}
                """);
        assertThat(framework.pluginNames().get("score")).containsExactly("MyScore:1");
        assertThat(framework.pluginNames().get("filter")).containsExactly("NodeName", "TaintToleration", "NodeResourcesFit");
    }

    @Test
    void anUnknownPluginNamesTheFileTheLineAndThePluginsThereAre() {
        assertThatThrownBy(() -> build("""
                scheduler:
                  profiles:
                    - plugins:
                        score:
                          enabled:
                            - {name: NodeResourcesFitt, weight: 2}
                """)).isInstanceOf(ProfileException.class)
                .hasMessage("test.yaml:9: scheduler.profiles[0].plugins.score: unknown scheduling plugin 'NodeResourcesFitt';"
                        + " available: DefaultBinder, MyFilter, MyScore, NodeName, NodeResourcesFit, Picky, Preempt, PrioritySort, TaintToleration");
    }

    @Test
    void aPluginNamedAtAPointItDoesNotImplementIsAnError() {
        assertThatThrownBy(() -> build("""
                scheduler:
                  profiles:
                    - plugins:
                        score: {enabled: [{name: MyFilter}]}
                """)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("test.yaml:7: scheduler.profiles[0].plugins.score: plugin MyFilter does not implement score;"
                        + " it implements filter");
    }

    @Test
    void exactlyOneQueueSortIsNeeded() {
        assertThatThrownBy(() -> build("""
                scheduler:
                  profiles:
                    - plugins:
                        multiPoint: {disabled: [{name: PrioritySort}]}
                """)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("exactly one queueSort plugin must be enabled");
    }

    @Test
    void unknownKeysInTheSchedulerSectionAreErrors() {
        assertThatThrownBy(() -> build("""
                scheduler:
                  profiles:
                    - plugins:
                        scores: {enabled: [{name: MyScore}]}
                """)).isInstanceOf(ProfileException.class)
                .hasMessageContaining("test.yaml:7: unknown key 'scores'").hasMessageContaining("multiPoint");
    }

    @Test
    void onlyEventsTheRejectingPluginsRegisteredRetryAPod() {
        Framework framework = build("""
                scheduler:
                  profiles:
                    - plugins:
                        filter: {enabled: [{name: Picky}]}
                """);
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").endMetadata().build();
        QueuedPodInfo rejected = new QueuedPodInfo(new PodInfo(pod, Resources.ZERO, Resources.ZERO), Instant.EPOCH, 1,
                Optional.of(Instant.EPOCH), Set.of("Picky"), Set.of(), Optional.empty());
        ClusterEvent nodeAdd = ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD);
        Optional<HasMetadata> big = Optional.of(new NodeBuilder().withNewMetadata().withName("big").endMetadata().build());
        Optional<HasMetadata> small = Optional.of(new NodeBuilder().withNewMetadata().withName("small").endMetadata().build());
        assertThat(framework.worthRetrying(rejected, nodeAdd, Optional.empty(), big)).isTrue();
        assertThat(framework.worthRetrying(rejected, nodeAdd, Optional.empty(), small)).as("the hint says SKIP").isFalse();
        assertThat(framework.worthRetrying(rejected, ClusterEvent.of(ClusterEvent.POD, ActionType.DELETE), Optional.empty(),
                Optional.empty())).as("not registered").isFalse();

        QueuedPodInfo byUnregistered = new QueuedPodInfo(rejected.podInfo(), Instant.EPOCH, 1, Optional.of(Instant.EPOCH),
                Set.of("NodeName"), Set.of(), Optional.empty());
        assertThat(framework.worthRetrying(byUnregistered, ClusterEvent.of(ClusterEvent.POD, ActionType.DELETE),
                Optional.empty(), Optional.empty())).as("a plugin that registered nothing wants every event").isTrue();
    }

    @Test
    void postFilterRunsOnlyWhenEnabledAndSaysWhyItCouldNotHelp() {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").endMetadata().build();
        NodeToStatus statuses = new NodeToStatus(Map.of("a", Status.unschedulable("Insufficient cpu")),
                Status.unschedulableAndUnresolvable("not filtered"));
        assertThat(build("scheduler: {}\n").hasPostFilterPlugins()).isFalse();
        Framework framework = build("""
                scheduler:
                  profiles:
                    - plugins:
                        postFilter: {enabled: [{name: Preempt}]}
                """);
        PostFilterResult result = framework.runPostFilter(new CycleState(), pod, statuses);
        assertThat(result.status().code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(result.status().message()).isEqualTo("preemption: 0/1 nodes are available: Preemption is not helpful for scheduling");
    }

    @Test
    void heartbeatsAreNotNodeChangesButTaintsAre() {
        Node node = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewSpec().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withLastHeartbeatTime("2026-01-01T00:00:00Z").endCondition().endStatus().build();
        Node heartbeat = new NodeBuilder(node).editStatus().editFirstCondition().withLastHeartbeatTime("2026-01-01T00:00:10Z")
                .endCondition().endStatus().build();
        assertThat(Scheduler.nodeChanges(node, heartbeat)).isEmpty();
        Node tainted = new NodeBuilder(node).editSpec().addNewTaint().withKey("k").withEffect("NoSchedule").endTaint()
                .endSpec().build();
        assertThat(Scheduler.nodeChanges(node, tainted)).containsExactly(ActionType.UPDATE_NODE_TAINT);
        Node cordoned = new NodeBuilder(node).editSpec().withUnschedulable(true).endSpec().build();
        assertThat(Scheduler.nodeChanges(node, cordoned)).containsExactly(ActionType.UPDATE_NODE_TAINT);
    }

    @Test
    void noSchedulerSectionMeansNoScheduler() {
        ClusterProfile profile = ProfileLoader.parse("test.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: t}
                """);
        assertThat(profile.scheduler()).isEmpty();
    }
}
