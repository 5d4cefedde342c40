package io.kube4j.api.scheduling;

import io.kube4j.api.plugin.PluginFactory;

/**
 * {@code ServiceLoader} entry of a scheduling plugin, listed in
 * {@code META-INF/services/io.kube4j.api.scheduling.SchedulingPluginFactory}. Its
 * {@link #name()} is the upstream plugin name ({@code NodeResourcesFit}); its config record is the
 * plugin's args ({@code pluginConfig[].args} of the scheduler profile).
 *
 * @param <C> the plugin's args record
 */
public interface SchedulingPluginFactory<C> extends PluginFactory<C> {

    /**
     * Creates the plugin for one scheduler profile. The result implements one or more extension
     * points; its {@link SchedulingPlugin#name()} equals this factory's name. Called once per
     * profile at startup, not on the scheduling path; may read the context but must not start threads.
     */
    SchedulingPlugin create(C config, SchedulingContext context);
}
