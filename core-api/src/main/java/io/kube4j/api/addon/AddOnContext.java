package io.kube4j.api.addon;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.controller.SharedInformerFactory;
import io.kube4j.api.plugin.PluginContext;

/**
 * What the runtime gives an add-on when it creates one. Valid for the add-on's life; thread-safe.
 * Objects the add-on owns in the cluster (a Service, its Endpoints) are written through
 * {@link #client()}; what it reads comes from {@link #informers()}.
 */
public interface AddOnContext extends PluginContext {

    /** The API server, with the cluster admin's credentials. */
    ApiClient client();

    /**
     * Informers shared by the add-ons of this process; already started, so an informer asked for
     * is started at once. Handlers must not block.
     */
    SharedInformerFactory informers();

    /**
     * The IPv4 address of the node the add-on runs on (the profile's first node's address, else
     * the API server's host): where it listens so that other components can reach it.
     */
    String nodeIp();
}
