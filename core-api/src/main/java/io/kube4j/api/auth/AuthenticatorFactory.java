package io.kube4j.api.auth;

import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.plugin.PluginFactory;

/** {@code ServiceLoader} entry of an authentication plugin. */
public interface AuthenticatorFactory<C> extends PluginFactory<C> {
    /** Creates the authenticator; may read what its config names (through the context's paths). */
    Authenticator create(C config, PluginContext context);
}
