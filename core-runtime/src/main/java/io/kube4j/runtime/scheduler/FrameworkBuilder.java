package io.kube4j.runtime.scheduler;

import io.kube4j.api.scheduling.BindPlugin;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.EnqueueExtensions;
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
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.SchedulingPlugin;
import io.kube4j.api.scheduling.SchedulingPluginFactory;
import io.kube4j.api.scheduling.ScorePlugin;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.PluginSlot;
import io.kube4j.runtime.profile.ProfileException;
import io.kube4j.runtime.profile.SchedulerPluginRef;
import io.kube4j.runtime.profile.SchedulerProfile.PluginSet;
import io.kube4j.runtime.profile.SchedulerProfile.SchedulerProfileEntry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Framework} from one entry of {@code scheduler.profiles}: merges it with the
 * default plugins, creates each plugin once with its {@code pluginConfig} args, and sorts the
 * plugins into extension points as kube-scheduler does ({@code multiPoint} plugins go to every
 * point they implement unless disabled there; a plugin named at a point explicitly must
 * implement it). Every mistake is a {@link ProfileException} naming the file and line.
 */
public final class FrameworkBuilder {
    private final PluginRegistry registry;
    private final PluginBinder binder;

    public FrameworkBuilder(PluginRegistry registry, PluginBinder binder) {
        this.registry = registry;
        this.binder = binder;
    }

    /** Builds profile number {@code index}, creating plugins with {@code context}. */
    public Framework build(SchedulerProfileEntry entry, int index, SchedulingContext context) {
        String where = "scheduler.profiles[" + index + "]";
        Map<String, PluginSlot> args = new HashMap<>();
        for (PluginSlot slot : entry.pluginConfig()) {
            if (args.putIfAbsent(slot.plugin(), slot) != null) {
                throw new ProfileException(at(slot.line()) + where + ".pluginConfig: " + slot.plugin() + " is configured twice");
            }
            known(slot.plugin(), slot.line(), where + ".pluginConfig");
        }
        List<SchedulerPluginRef> defaults = DefaultPlugins.MULTI_POINT.stream()
                .filter(ref -> registry.find(Family.SCHEDULING, ref.name()).isPresent()).toList();
        PluginSet multiPoint = DefaultPlugins.merge(defaults, entry.plugins().multiPoint());
        Map<String, SchedulingPlugin> plugins = new LinkedHashMap<>();
        for (SchedulerPluginRef ref : multiPoint.enabled()) {
            plugin(plugins, ref, where + ".plugins.multiPoint", args, context);
        }
        Map<ExtensionPoint, List<SchedulerPluginRef>> points = new EnumMap<>(ExtensionPoint.class);
        for (ExtensionPoint point : ExtensionPoint.values()) {
            PluginSet explicit = point.of(entry.plugins());
            String at = where + ".plugins." + point.key();
            Set<String> explicitNames = new HashSet<>();
            for (SchedulerPluginRef ref : explicit.enabled()) {
                SchedulingPlugin plugin = plugin(plugins, ref, at, args, context);
                if (!point.implementedBy(plugin)) {
                    throw new ProfileException(at(ref.line()) + at + ": plugin " + ref.name() + " does not implement "
                            + point.key() + "; it implements " + implemented(plugin));
                }
                if (!explicitNames.add(ref.name())) {
                    throw new ProfileException(at(ref.line()) + at + ": plugin " + ref.name() + " is enabled twice");
                }
            }
            Set<String> disabled = new HashSet<>();
            explicit.disabled().forEach(ref -> disabled.add(ref.name()));
            List<SchedulerPluginRef> overrides = new ArrayList<>();
            List<SchedulerPluginRef> fromMultiPoint = new ArrayList<>();
            Set<String> multiNames = new HashSet<>();
            for (SchedulerPluginRef ref : multiPoint.enabled()) {
                multiNames.add(ref.name());
                if (!point.implementedBy(plugins.get(ref.name()))) {
                    continue;
                }
                if (explicitNames.contains(ref.name())) {
                    continue;
                }
                if (disabled.contains(ref.name()) || disabled.contains(DefaultPlugins.ALL)) {
                    continue;
                }
                fromMultiPoint.add(ref);
            }
            List<SchedulerPluginRef> rest = new ArrayList<>();
            for (SchedulerPluginRef ref : explicit.enabled()) {
                (multiNames.contains(ref.name()) ? overrides : rest).add(withMultiPointWeight(ref, multiPoint));
            }
            List<SchedulerPluginRef> ordered = new ArrayList<>(overrides);
            ordered.addAll(fromMultiPoint);
            ordered.addAll(rest);
            points.put(point, ordered);
        }
        return assemble(entry.schedulerName(), where, points, plugins);
    }

    private static SchedulerPluginRef withMultiPointWeight(SchedulerPluginRef ref, PluginSet multiPoint) {
        if (ref.weight() > 0) {
            return ref;
        }
        for (SchedulerPluginRef m : multiPoint.enabled()) {
            if (m.name().equals(ref.name())) {
                return new SchedulerPluginRef(ref.name(), m.weight(), ref.line());
            }
        }
        return ref;
    }

    private Framework assemble(String schedulerName, String where, Map<ExtensionPoint, List<SchedulerPluginRef>> points,
                               Map<String, SchedulingPlugin> plugins) {
        List<SchedulerPluginRef> queueSort = points.get(ExtensionPoint.QUEUE_SORT);
        if (queueSort.size() != 1) {
            throw new ProfileException(at(0) + where + ".plugins.queueSort: exactly one queueSort plugin must be enabled, not "
                    + queueSort.stream().map(SchedulerPluginRef::name).toList());
        }
        if (points.get(ExtensionPoint.BIND).isEmpty()) {
            throw new ProfileException(at(0) + where + ".plugins.bind: at least one bind plugin must be enabled");
        }
        Map<String, List<String>> names = new LinkedHashMap<>();
        points.forEach((point, refs) -> names.put(point.key(), refs.stream()
                .map(ref -> point == ExtensionPoint.SCORE ? ref.name() + ":" + Math.max(1, ref.weight()) : ref.name())
                .toList()));
        List<Framework.WeightedScore> scores = points.get(ExtensionPoint.SCORE).stream().map(ref -> {
            ScorePlugin plugin = (ScorePlugin) plugins.get(ref.name());
            return new Framework.WeightedScore(plugin, Math.max(1, ref.weight()), plugin.scoreExtensions());
        }).toList();
        return new Framework(schedulerName, (QueueSortPlugin) plugins.get(queueSort.getFirst().name()),
                list(points, ExtensionPoint.PRE_ENQUEUE, plugins, PreEnqueuePlugin.class),
                list(points, ExtensionPoint.PRE_FILTER, plugins, PreFilterPlugin.class),
                list(points, ExtensionPoint.FILTER, plugins, FilterPlugin.class),
                list(points, ExtensionPoint.POST_FILTER, plugins, PostFilterPlugin.class),
                list(points, ExtensionPoint.PRE_SCORE, plugins, PreScorePlugin.class),
                scores,
                list(points, ExtensionPoint.RESERVE, plugins, ReservePlugin.class),
                list(points, ExtensionPoint.PERMIT, plugins, PermitPlugin.class),
                list(points, ExtensionPoint.PRE_BIND, plugins, PreBindPlugin.class),
                list(points, ExtensionPoint.BIND, plugins, BindPlugin.class),
                list(points, ExtensionPoint.POST_BIND, plugins, PostBindPlugin.class),
                names, registrations(plugins));
    }

    /** What each plugin that registers events asked for, asked once, as EnqueueExtensions says. */
    private static Map<String, List<ClusterEventWithHint>> registrations(Map<String, SchedulingPlugin> plugins) {
        Map<String, List<ClusterEventWithHint>> registered = new HashMap<>();
        plugins.forEach((name, plugin) -> {
            if (plugin instanceof EnqueueExtensions extensions) {
                registered.put(name, List.copyOf(extensions.eventsToRegister()));
            }
        });
        return registered;
    }

    private static <T> List<T> list(Map<ExtensionPoint, List<SchedulerPluginRef>> points, ExtensionPoint point,
                                    Map<String, SchedulingPlugin> plugins, Class<T> type) {
        return points.get(point).stream().map(ref -> type.cast(plugins.get(ref.name()))).toList();
    }

    private SchedulingPlugin plugin(Map<String, SchedulingPlugin> plugins, SchedulerPluginRef ref, String where,
                                    Map<String, PluginSlot> args, SchedulingContext context) {
        SchedulingPlugin existing = plugins.get(ref.name());
        if (existing != null) {
            return existing;
        }
        known(ref.name(), ref.line(), where);
        PluginSlot slot = args.getOrDefault(ref.name(), new PluginSlot(ref.name(),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), ref.line()));
        SchedulingPlugin plugin = create(binder.bind(Family.SCHEDULING, slot, where), context);
        if (!plugin.name().equals(ref.name())) {
            throw new IllegalStateException("scheduling plugin factory " + ref.name() + " made a plugin named " + plugin.name());
        }
        plugins.put(ref.name(), plugin);
        return plugin;
    }

    @SuppressWarnings("unchecked")
    private static <C> SchedulingPlugin create(PluginBinder.Bound<C> bound, SchedulingContext context) {
        return ((SchedulingPluginFactory<C>) bound.factory()).create(bound.config(), context);
    }

    private void known(String name, int line, String where) {
        if (registry.find(Family.SCHEDULING, name).isEmpty()) {
            throw new ProfileException(at(line) + where + ": unknown scheduling plugin '" + name + "'; available: "
                    + String.join(", ", registry.family(Family.SCHEDULING).keySet()));
        }
    }

    private static String implemented(SchedulingPlugin plugin) {
        List<String> points = new ArrayList<>();
        for (ExtensionPoint point : ExtensionPoint.values()) {
            if (point.implementedBy(plugin)) {
                points.add(point.key());
            }
        }
        return points.isEmpty() ? "no extension point" : String.join(", ", points);
    }

    private String at(int line) {
        return line > 0 ? binder.source() + ":" + line + ": " : binder.source() + ": ";
    }
}
