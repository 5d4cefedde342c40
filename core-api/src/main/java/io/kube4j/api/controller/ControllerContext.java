package io.kube4j.api.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.plugin.PluginContext;

/**
 * What the controller-manager gives a controller when it creates it. Valid for the
 * controller-manager's life (across leader changes); thread-safe. Time comes from
 * {@link #clock()} so that tests can drive it.
 */
public interface ControllerContext extends PluginContext {

    /** The API server: every write goes here. */
    ApiClient client();

    /** The shared informers; one per type for the whole controller-manager. */
    SharedInformerFactory informers();

    /** Records Events about the objects the controller handles ({@code SuccessfulCreate}, {@code ScalingReplicaSet}). */
    EventRecorder eventRecorder();

    /** How many keys this controller reconciles at once (its {@code concurrent...Syncs}), at least 1. */
    int workers();

    /** The lister of {@code type}'s shared informer. */
    default <T extends HasMetadata> Lister<T> lister(Class<T> type) {
        return informers().informerFor(type).lister();
    }
}
