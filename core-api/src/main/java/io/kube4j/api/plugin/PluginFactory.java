package io.kube4j.api.plugin;

/**
 * The common shape of every plugin's {@code ServiceLoader} entry: a stateless factory with a
 * public no-arg constructor, a name used in profiles, and the record its profile config binds to.
 *
 * <p>Each family adds its own {@code create}/{@code open} method that takes the bound config and a
 * family context. Implementations must be thread-safe and must not do work in their constructor:
 * the runtime instantiates every factory on the class path to list them.
 *
 * @param <C> the config record bound from the profile slot's {@code config:} map
 */
public interface PluginFactory<C> {

    /** The name used in profiles: upstream names verbatim ({@code NamespaceLifecycle}), else kebab-case ({@code sqlite}). */
    String name();

    /** The record that the profile slot's {@code config:} binds to; {@link NoConfig} when there is none. */
    Class<C> configType();

    /** One line for {@code kube4j plugins}. */
    default String description() {
        return "";
    }
}
