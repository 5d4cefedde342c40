package io.kube4j.runtime.addon;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.addon.AddOn;
import io.kube4j.api.addon.AddOnContext;
import io.kube4j.api.addon.AddOnFactory;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.controller.SharedInformerFactory;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.runtime.informer.DefaultSharedInformerFactory;
import io.kube4j.runtime.informer.InformerOptions;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.profile.PluginSlot;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the add-ons of a profile's {@code addons:} section: creates each from its slot, starts the
 * informers they share, starts them one after the other (each returns when it serves), and on
 * {@link #close} stops them in reverse order, then the informers and the API client it owns.
 */
public final class AddOnHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AddOnHost.class);

    private final ApiClient client;
    private final DefaultSharedInformerFactory informers;
    private final List<Named> created = new ArrayList<>();
    private final List<Named> started = new ArrayList<>();

    private record Named(String name, AddOn addOn) {
    }

    private record Context(Path dataDir, Clock clock, ApiClient client, SharedInformerFactory informers, String nodeIp)
            implements AddOnContext {
        @Override
        public Path resolve(String path) {
            return dataDir.resolve(path);
        }
    }

    private AddOnHost(ApiClient client) {
        this.client = client;
        this.informers = new DefaultSharedInformerFactory(client, InformerOptions.DEFAULT);
    }

    /** Checks each slot against the add-ons there are and binds its config: {@code kube4j profile check}. */
    public static void check(List<PluginSlot> addons, PluginBinder binder) {
        for (int i = 0; i < addons.size(); i++) {
            binder.bind(Family.ADDON, addons.get(i), "addons[" + i + "]");
        }
    }

    /**
     * Creates and starts the add-ons in order; returns once each serves. The host owns
     * {@code client} and closes it. If one fails to start, those started are stopped and the
     * failure is thrown.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static AddOnHost start(List<PluginSlot> addons, PluginBinder binder, ApiClient client, PluginContext plugins,
                                  String nodeIp) {
        requireNonNull(client, "client is null");
        AddOnHost host = new AddOnHost(client);
        try {
            Context context = new Context(plugins.dataDir(), plugins.clock(), client, host.informers, nodeIp);
            host.informers.start();
            for (int i = 0; i < addons.size(); i++) {
                PluginBinder.Bound<?> bound = binder.bind(Family.ADDON, addons.get(i), "addons[" + i + "]");
                AddOnFactory factory = (AddOnFactory) bound.factory();
                host.created.add(new Named(factory.name(), factory.create(bound.config(), context)));
            }
            for (Named n : host.created) {
                long t0 = System.nanoTime();
                host.started.add(n);
                n.addOn().start();
                log.info("add-on {} ready in {} ms", n.name(), (System.nanoTime() - t0) / 1_000_000);
            }
            return host;
        } catch (Exception e) {
            host.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot start the add-ons: " + e.getMessage(), e);
        }
    }

    /** The names of the add-ons that serve now, in start order. */
    public List<String> ready() {
        return started.stream().filter(n -> n.addOn().ready()).map(Named::name).toList();
    }

    @Override
    public void close() {
        // created but never started ones are closed too, as AddOn promises
        for (int i = created.size() - 1; i >= 0; i--) {
            Named n = created.get(i);
            try {
                n.addOn().close();
                log.info("add-on {} stopped", n.name());
            } catch (RuntimeException e) {
                log.warn("stopping add-on {} failed", n.name(), e);
            }
        }
        started.clear();
        created.clear();
        informers.close();
        client.close();
    }
}
