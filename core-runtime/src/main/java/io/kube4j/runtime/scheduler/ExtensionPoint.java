package io.kube4j.runtime.scheduler;

import io.kube4j.api.scheduling.BindPlugin;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.PermitPlugin;
import io.kube4j.api.scheduling.PostBindPlugin;
import io.kube4j.api.scheduling.PostFilterPlugin;
import io.kube4j.api.scheduling.PreBindPlugin;
import io.kube4j.api.scheduling.PreEnqueuePlugin;
import io.kube4j.api.scheduling.PreFilterPlugin;
import io.kube4j.api.scheduling.PreScorePlugin;
import io.kube4j.api.scheduling.QueueSortPlugin;
import io.kube4j.api.scheduling.ReservePlugin;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.runtime.profile.SchedulerProfile.PluginSet;
import io.kube4j.runtime.profile.SchedulerProfile.SchedulerPlugins;
import java.util.function.Function;

/** The extension points a profile configures, with their profile key and interface. */
enum ExtensionPoint {
    QUEUE_SORT("queueSort", QueueSortPlugin.class, SchedulerPlugins::queueSort),
    PRE_ENQUEUE("preEnqueue", PreEnqueuePlugin.class, SchedulerPlugins::preEnqueue),
    PRE_FILTER("preFilter", PreFilterPlugin.class, SchedulerPlugins::preFilter),
    FILTER("filter", FilterPlugin.class, SchedulerPlugins::filter),
    POST_FILTER("postFilter", PostFilterPlugin.class, SchedulerPlugins::postFilter),
    PRE_SCORE("preScore", PreScorePlugin.class, SchedulerPlugins::preScore),
    SCORE("score", ScorePlugin.class, SchedulerPlugins::score),
    RESERVE("reserve", ReservePlugin.class, SchedulerPlugins::reserve),
    PERMIT("permit", PermitPlugin.class, SchedulerPlugins::permit),
    PRE_BIND("preBind", PreBindPlugin.class, SchedulerPlugins::preBind),
    BIND("bind", BindPlugin.class, SchedulerPlugins::bind),
    POST_BIND("postBind", PostBindPlugin.class, SchedulerPlugins::postBind);

    private final String key;
    private final Class<? extends SchedulingPlugin> type;
    private final Function<SchedulerPlugins, PluginSet> set;

    ExtensionPoint(String key, Class<? extends SchedulingPlugin> type, Function<SchedulerPlugins, PluginSet> set) {
        this.key = key;
        this.type = type;
        this.set = set;
    }

    /** The profile key ({@code score}). */
    String key() {
        return key;
    }

    boolean implementedBy(SchedulingPlugin plugin) {
        return type.isInstance(plugin);
    }

    PluginSet of(SchedulerPlugins plugins) {
        return set.apply(plugins);
    }
}
