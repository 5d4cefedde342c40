package io.kube4j.runtime.scheduler;

import io.kube4j.runtime.profile.SchedulerPluginRef;
import io.kube4j.runtime.profile.SchedulerProfile.PluginSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kube-scheduler's default profile (its v1 {@code default_plugins.go}): every plugin enabled through
 * {@code multiPoint}, with the default score weights, and the merge of a profile's plugin sets
 * into the defaults.
 */
final class DefaultPlugins {
    /** In kube-scheduler's order; those this build does not have are left out when the defaults are used. */
    static final List<SchedulerPluginRef> MULTI_POINT = List.of(
            SchedulerPluginRef.of("SchedulingGates", 0),
            SchedulerPluginRef.of("PrioritySort", 0),
            SchedulerPluginRef.of("NodeUnschedulable", 0),
            SchedulerPluginRef.of("NodeName", 0),
            SchedulerPluginRef.of("TaintToleration", 3),
            SchedulerPluginRef.of("NodeAffinity", 2),
            SchedulerPluginRef.of("NodePorts", 0),
            SchedulerPluginRef.of("NodeResourcesFit", 1),
            SchedulerPluginRef.of("VolumeRestrictions", 0),
            SchedulerPluginRef.of("NodeVolumeLimits", 0),
            SchedulerPluginRef.of("VolumeBinding", 0),
            SchedulerPluginRef.of("VolumeZone", 0),
            SchedulerPluginRef.of("PodTopologySpread", 2),
            SchedulerPluginRef.of("InterPodAffinity", 2),
            SchedulerPluginRef.of("DefaultPreemption", 0),
            SchedulerPluginRef.of("NodeResourcesBalancedAllocation", 1),
            SchedulerPluginRef.of("ImageLocality", 1),
            SchedulerPluginRef.of("DefaultBinder", 0));

    static final String ALL = "*";

    private DefaultPlugins() {
    }

    /**
     * The defaults with the profile's changes, as kube-scheduler merges them: a disabled name (or
     * {@code *}) drops default plugins; an enabled plugin that is also a default replaces it in its
     * place (taking the new weight); other enabled plugins follow, in their order.
     */
    static PluginSet merge(List<SchedulerPluginRef> defaults, PluginSet custom) {
        Set<String> disabled = new HashSet<>();
        custom.disabled().forEach(ref -> disabled.add(ref.name()));
        Map<String, Integer> customIndex = new HashMap<>();
        for (int i = 0; i < custom.enabled().size(); i++) {
            customIndex.putIfAbsent(custom.enabled().get(i).name(), i);
        }
        List<SchedulerPluginRef> enabled = new ArrayList<>();
        Set<Integer> replaced = new HashSet<>();
        if (!disabled.contains(ALL)) {
            for (SchedulerPluginRef plugin : defaults) {
                if (disabled.contains(plugin.name())) {
                    continue;
                }
                Integer index = customIndex.get(plugin.name());
                if (index != null) {
                    enabled.add(custom.enabled().get(index));
                    replaced.add(index);
                } else {
                    enabled.add(plugin);
                }
            }
        }
        for (int i = 0; i < custom.enabled().size(); i++) {
            if (!replaced.contains(i)) {
                enabled.add(custom.enabled().get(i));
            }
        }
        return new PluginSet(enabled, custom.disabled());
    }
}
