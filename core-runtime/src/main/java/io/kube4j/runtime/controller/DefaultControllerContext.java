package io.kube4j.runtime.controller;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.SharedInformerFactory;
import io.kube4j.api.event.EventRecorder;
import java.nio.file.Path;
import java.time.Clock;

/** The context the controller-manager (or a test) gives its controllers. */
public record DefaultControllerContext(Path dataDir, Clock clock, ApiClient client, SharedInformerFactory informers,
                                       EventRecorder eventRecorder, int workers) implements ControllerContext {
    public DefaultControllerContext {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(client, "client is null");
        requireNonNull(informers, "informers is null");
        requireNonNull(eventRecorder, "eventRecorder is null");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
    }

    public DefaultControllerContext withWorkers(int value) {
        return new DefaultControllerContext(dataDir, clock, client, informers, eventRecorder, value);
    }
}
