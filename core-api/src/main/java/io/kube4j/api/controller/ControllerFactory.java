package io.kube4j.api.controller;

import io.kube4j.api.plugin.PluginFactory;

/**
 * {@code ServiceLoader} entry of a controller, listed in
 * {@code META-INF/services/io.kube4j.api.controller.ControllerFactory}. Its name is the one
 * {@code controllerManager.controllers} enables ({@code deployment}, {@code replicaset}; {@code *} for all).
 *
 * @param <C> the controller's config record
 */
public interface ControllerFactory<C> extends PluginFactory<C> {

    /**
     * Creates the controller. Called once at startup, before informers start: register
     * indexers and event handlers here if needed; do not call the API server or start threads.
     */
    Controller create(C config, ControllerContext context);
}
