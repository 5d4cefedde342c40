package io.kube4j.samples.blocking;

import io.kube4j.api.admission.AdmissionContext;
import io.kube4j.api.admission.AdmissionPlugin;
import io.kube4j.api.admission.AdmissionPluginFactory;
import io.kube4j.api.admission.AdmissionResponse;
import io.kube4j.api.admission.MutatingAdmissionPlugin;
import io.kube4j.api.plugin.NoConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Test plugin: holds any write of an object named {@code hold-me} until released, to fill the in-flight limit. */
public final class HoldWritesFactory implements AdmissionPluginFactory<NoConfig> {
    public static final String NAME = "test-hold-writes";
    public static volatile CountDownLatch entered = new CountDownLatch(1);
    public static volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NoConfig> configType() {
        return NoConfig.class;
    }

    @Override
    public AdmissionPlugin create(NoConfig config, AdmissionContext context) {
        return (MutatingAdmissionPlugin) request -> {
            if (request.name().equals("hold-me")) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return AdmissionResponse.allow();
        };
    }
}
