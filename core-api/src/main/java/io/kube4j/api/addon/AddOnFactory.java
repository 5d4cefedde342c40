package io.kube4j.api.addon;

import io.kube4j.api.plugin.PluginFactory;

/**
 * {@code ServiceLoader} entry of an add-on, listed in
 * {@code META-INF/services/io.kube4j.api.addon.AddOnFactory}; its name is the one a profile's
 * {@code addons:} list uses ({@code dns}).
 *
 * @param <C> the add-on's config record
 */
public interface AddOnFactory<C> extends PluginFactory<C> {

    /**
     * Creates the add-on, not started. Called once at startup; may ask {@code context} for
     * informers and add handlers, but must not call the API server, bind sockets or start threads:
     * that is {@link AddOn#start}'s job.
     */
    AddOn create(C config, AddOnContext context);
}
