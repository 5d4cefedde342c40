package io.kube4j.scheduler;

import static io.kube4j.scheduler.SchedulingFixtures.container;
import static io.kube4j.scheduler.SchedulingFixtures.context;
import static io.kube4j.scheduler.SchedulingFixtures.node;
import static io.kube4j.scheduler.SchedulingFixtures.pod;
import static io.kube4j.scheduler.SchedulingFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.PostFilterPlugin;
import io.kube4j.api.scheduling.PreEnqueuePlugin;
import io.kube4j.api.scheduling.PreFilterPlugin;
import io.kube4j.api.scheduling.PreScorePlugin;
import io.kube4j.api.scheduling.QueueSortPlugin;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.scheduler.defaultpreemption.DefaultPreemptionFactory;
import io.kube4j.scheduler.imagelocality.ImageLocalityFactory;
import io.kube4j.scheduler.interpodaffinity.InterPodAffinityFactory;
import io.kube4j.scheduler.nodeaffinity.NodeAffinityFactory;
import io.kube4j.scheduler.nodename.NodeNameFactory;
import io.kube4j.scheduler.nodeports.NodePortsFactory;
import io.kube4j.scheduler.noderesources.NodeResourcesBalancedAllocationFactory;
import io.kube4j.scheduler.noderesources.NodeResourcesFitFactory;
import io.kube4j.scheduler.nodeunschedulable.NodeUnschedulableFactory;
import io.kube4j.scheduler.podtopologyspread.PodTopologySpreadFactory;
import io.kube4j.scheduler.queuesort.PrioritySortFactory;
import io.kube4j.scheduler.schedulinggates.SchedulingGatesFactory;
import io.kube4j.scheduler.tainttoleration.TaintTolerationFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Smoke test: every plugin is found by name through ServiceLoader and created from its args, as the scheduler will. */
class TestSchedulingPluginFactories {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyFactoryIsListedUnderItsUpstreamName() {
        assertThat(factories().keySet()).containsExactlyInAnyOrder(
                PrioritySortFactory.NAME, SchedulingGatesFactory.NAME, NodeUnschedulableFactory.NAME, NodeNameFactory.NAME,
                TaintTolerationFactory.NAME, NodeAffinityFactory.NAME, NodePortsFactory.NAME, NodeResourcesFitFactory.NAME,
                NodeResourcesBalancedAllocationFactory.NAME, ImageLocalityFactory.NAME, InterPodAffinityFactory.NAME,
                PodTopologySpreadFactory.NAME, DefaultPreemptionFactory.NAME);
        assertThat(List.of(PrioritySortFactory.NAME, SchedulingGatesFactory.NAME, NodeUnschedulableFactory.NAME, NodeNameFactory.NAME,
                TaintTolerationFactory.NAME, NodeAffinityFactory.NAME, NodePortsFactory.NAME, NodeResourcesFitFactory.NAME,
                NodeResourcesBalancedAllocationFactory.NAME, ImageLocalityFactory.NAME, InterPodAffinityFactory.NAME,
                PodTopologySpreadFactory.NAME, DefaultPreemptionFactory.NAME)).containsExactly(
                "PrioritySort", "SchedulingGates", "NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity",
                "NodePorts", "NodeResourcesFit", "NodeResourcesBalancedAllocation", "ImageLocality", "InterPodAffinity",
                "PodTopologySpread", "DefaultPreemption");
    }

    @Test
    void everyPluginIsCreatedFromEmptyArgsAndCarriesItsName() {
        factories().forEach((name, factory) -> {
            SchedulingPlugin plugin = create(name, Map.of());

            assertThat(plugin.name()).as(name).isEqualTo(name);
            assertThat(factory.description()).as(name).isNotBlank();
        });
    }

    @Test
    void pluginsImplementTheirExtensionPoints() {
        assertThat(create(PrioritySortFactory.NAME, Map.of())).isInstanceOf(QueueSortPlugin.class);
        assertThat(create(SchedulingGatesFactory.NAME, Map.of())).isInstanceOf(PreEnqueuePlugin.class).isInstanceOf(EnqueueExtensions.class);
        assertThat(create(NodeUnschedulableFactory.NAME, Map.of())).isInstanceOf(FilterPlugin.class);
        assertThat(create(NodeNameFactory.NAME, Map.of())).isInstanceOf(FilterPlugin.class);
        assertThat(create(TaintTolerationFactory.NAME, Map.of())).isInstanceOf(FilterPlugin.class).isInstanceOf(PreScorePlugin.class)
                .isInstanceOf(ScorePlugin.class);
        assertThat(create(NodeAffinityFactory.NAME, Map.of())).isInstanceOf(PreFilterPlugin.class).isInstanceOf(FilterPlugin.class)
                .isInstanceOf(PreScorePlugin.class).isInstanceOf(ScorePlugin.class);
        assertThat(create(NodePortsFactory.NAME, Map.of())).isInstanceOf(PreFilterPlugin.class).isInstanceOf(FilterPlugin.class);
        assertThat(create(NodeResourcesFitFactory.NAME, Map.of())).isInstanceOf(PreFilterPlugin.class).isInstanceOf(FilterPlugin.class)
                .isInstanceOf(PreScorePlugin.class).isInstanceOf(ScorePlugin.class);
        assertThat(create(NodeResourcesBalancedAllocationFactory.NAME, Map.of())).isInstanceOf(ScorePlugin.class);
        assertThat(create(ImageLocalityFactory.NAME, Map.of())).isInstanceOf(ScorePlugin.class);
        assertThat(create(InterPodAffinityFactory.NAME, Map.of())).isInstanceOf(PreFilterPlugin.class).isInstanceOf(FilterPlugin.class)
                .isInstanceOf(PreScorePlugin.class).isInstanceOf(ScorePlugin.class).isInstanceOf(EnqueueExtensions.class);
        assertThat(((PreFilterPlugin) create(InterPodAffinityFactory.NAME, Map.of())).preFilterExtensions()).isPresent();
        assertThat(((ScorePlugin) create(InterPodAffinityFactory.NAME, Map.of())).scoreExtensions()).isPresent();
        assertThat(create(PodTopologySpreadFactory.NAME, Map.of())).isInstanceOf(PreFilterPlugin.class).isInstanceOf(FilterPlugin.class)
                .isInstanceOf(PreScorePlugin.class).isInstanceOf(ScorePlugin.class).isInstanceOf(EnqueueExtensions.class);
        assertThat(((PreFilterPlugin) create(PodTopologySpreadFactory.NAME, Map.of())).preFilterExtensions()).isPresent();
        assertThat(((ScorePlugin) create(PodTopologySpreadFactory.NAME, Map.of())).scoreExtensions()).isPresent();
        assertThat(create(DefaultPreemptionFactory.NAME, Map.of())).isInstanceOf(PostFilterPlugin.class);
        assertThat(((ScorePlugin) create(TaintTolerationFactory.NAME, Map.of())).scoreExtensions()).isPresent();
        assertThat(((ScorePlugin) create(NodeAffinityFactory.NAME, Map.of())).scoreExtensions()).isPresent();
        assertThat(((ScorePlugin) create(NodeResourcesFitFactory.NAME, Map.of())).scoreExtensions()).isEmpty();
    }

    @Test
    void argsFromTheProfileAreUsed() {
        ScorePlugin mostAllocated = (ScorePlugin) create(NodeResourcesFitFactory.NAME,
                Map.of("scoringStrategy", Map.of("type", "MostAllocated")));
        ScorePlugin leastAllocated = (ScorePlugin) create(NodeResourcesFitFactory.NAME, Map.of());
        NodeInfo node = snapshot(List.of(node("n1", "4", "10000")), List.of()).get(0);
        Pod pod = new PodBuilder(pod("p", "1", "2000")).editSpec().addToContainers(container("b", "2", "3000")).endSpec().build();

        assertThat(score(mostAllocated, pod, node)).isEqualTo(62);
        assertThat(score(leastAllocated, pod, node)).isEqualTo(37);
    }

    @Test
    void unknownArgsAreRejected() {
        assertThatThrownBy(() -> MAPPER.convertValue(Map.of("weight", 1), NoConfig.class)).hasMessageContaining("weight");
        assertThatThrownBy(() -> create(NodeResourcesFitFactory.NAME, Map.of("scoringStrategy", Map.of("typ", "MostAllocated"))))
                .hasMessageContaining("typ");
    }

    private static long score(ScorePlugin plugin, Pod pod, NodeInfo node) {
        CycleState state = new CycleState();
        ((PreScorePlugin) plugin).preScore(state, pod, List.of(node));
        return plugin.score(state, pod, node);
    }

    @SuppressWarnings("unchecked")
    static SchedulingPlugin create(String name, Map<String, Object> args) {
        SchedulingPluginFactory<Object> factory = factories().get(name);
        return factory.create(MAPPER.convertValue(args, factory.configType()), context(List.of()));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<String, SchedulingPluginFactory<Object>> factories() {
        return ServiceLoader.load(SchedulingPluginFactory.class).stream()
                .map(provider -> (SchedulingPluginFactory<Object>) provider.get())
                .collect(Collectors.toMap(SchedulingPluginFactory::name, factory -> factory));
    }
}
