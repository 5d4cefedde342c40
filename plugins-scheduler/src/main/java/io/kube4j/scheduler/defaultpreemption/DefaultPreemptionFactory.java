package io.kube4j.scheduler.defaultpreemption;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kube4j.api.client.ListOptions;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;

/** {@code ServiceLoader} entry of {@code DefaultPreemption} (PostFilter). */
public final class DefaultPreemptionFactory implements SchedulingPluginFactory<DefaultPreemptionArgs> {
    public static final String NAME = "DefaultPreemption";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<DefaultPreemptionArgs> configType() {
        return DefaultPreemptionArgs.class;
    }

    @Override
    public String description() {
        return "when no node fits, evicts lower-priority pods from one node (PodDisruptionBudgets respected when possible)";
    }

    @Override
    public SchedulingPlugin create(DefaultPreemptionArgs config, SchedulingContext context) {
        // Read when a preemption runs (rare), not cached: the PostFilter point may block on the API server.
        return new DefaultPreemptionPlugin(config, context,
                () -> context.client().list(PodDisruptionBudget.class, ListOptions.ALL).items());
    }
}
