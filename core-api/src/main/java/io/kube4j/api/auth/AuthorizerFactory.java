package io.kube4j.api.auth;

import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.plugin.PluginFactory;

/** {@code ServiceLoader} entry of an authorization plugin. */
public interface AuthorizerFactory<C> extends PluginFactory<C> {
    Authorizer create(C config, PluginContext context);
}
