package io.kube4j.runtime.controllermanager;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerFactory;
import io.kube4j.api.plugin.PluginContext;
import io.kube4j.api.plugin.PluginFactory;
import io.kube4j.runtime.controller.ControllerRunner;
import io.kube4j.runtime.controller.DefaultControllerContext;
import io.kube4j.runtime.event.ApiEventRecorder;
import io.kube4j.runtime.informer.DefaultSharedInformerFactory;
import io.kube4j.runtime.informer.InformerOptions;
import io.kube4j.runtime.leaderelection.LeaderCallbacks;
import io.kube4j.runtime.leaderelection.LeaderElectionConfig;
import io.kube4j.runtime.leaderelection.LeaderElector;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ControllerManagerProfile;
import io.kube4j.runtime.profile.PluginSlot;
import io.kube4j.runtime.profile.ProfileException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller-manager component: runs the {@link Controller} plugins the profile's
 * {@code controllerManager.controllers} enables, each in a {@link ControllerRunner}, on shared
 * informers of one API client. With leader election on, it runs them only while it holds the
 * Lease {@code kube-system/kube-controller-manager} (which also makes {@code kubectl get
 * componentstatuses} report it healthy); each time it starts leading it builds the controllers,
 * informers and caches afresh, and it drops them all when it stops leading, so that two
 * controller-managers never act at once.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);
    static final String LEASE_NAME = "kube-controller-manager";

    private final ControllerManagerProfile config;
    private final ApiClient client;
    private final PluginContext pluginContext;
    private final Map<String, PluginBinder.Bound<?>> enabled;
    private final Optional<LeaderElector> elector;
    private final ReentrantLock lock = new ReentrantLock();
    private Generation running;
    private boolean closed;

    private ControllerManager(ControllerManagerProfile config, PluginBinder binder, ApiClient client,
                              PluginContext pluginContext) {
        this.config = requireNonNull(config, "config is null");
        this.client = requireNonNull(client, "client is null");
        this.pluginContext = requireNonNull(pluginContext, "pluginContext is null");
        this.enabled = enabledControllers(config, binder);
        this.elector = config.leaderElection().leaderElect()
                ? Optional.of(new LeaderElector(client, LeaderElectionConfig.defaults(LEASE_NAME, identity()), new Callbacks()))
                : Optional.empty();
    }

    /**
     * Checks the section against the controllers there are and starts it: at once without leader
     * election, else once it leads. The controller-manager owns {@code client} and closes it.
     */
    public static ControllerManager start(ControllerManagerProfile config, PluginBinder binder, ApiClient client,
                                          PluginContext pluginContext) {
        ControllerManager manager;
        try {
            manager = new ControllerManager(config, binder, client, pluginContext);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        if (manager.elector.isPresent()) {
            manager.elector.get().start();
        } else {
            manager.lead();
        }
        return manager;
    }

    /** Checks the section against the controllers there are: {@code kube4j profile check}. */
    public static void check(ControllerManagerProfile config, PluginBinder binder) {
        enabledControllers(config, binder);
    }

    /** The controllers {@code config} enables, in name order, with their (default) configs bound. */
    private static Map<String, PluginBinder.Bound<?>> enabledControllers(ControllerManagerProfile config, PluginBinder binder) {
        Map<String, PluginFactory<?>> known = binder.registry().family(Family.CONTROLLER);
        for (String entry : config.controllers()) {
            String name = entry.startsWith("-") ? entry.substring(1) : entry;
            if (!name.equals("*") && !known.containsKey(name)) {
                throw new ProfileException(binder.source() + ": controllerManager.controllers: unknown controller '"
                        + name + "'; available: " + String.join(", ", known.keySet()));
            }
        }
        for (String name : config.config().keySet()) {
            if (!known.containsKey(name)) {
                throw new ProfileException(binder.source() + ": controllerManager.config: unknown controller '"
                        + name + "'; available: " + String.join(", ", known.keySet()));
            }
        }
        Map<String, PluginBinder.Bound<?>> result = new LinkedHashMap<>();
        for (String name : known.keySet()) {
            if (config.enables(name)) {
                JsonNode controllerConfig = config.config().get(name);
                PluginSlot slot = controllerConfig == null || controllerConfig.isNull() ? PluginSlot.of(name)
                        : new PluginSlot(name, controllerConfig, 0);
                result.put(name, binder.bind(Family.CONTROLLER, slot, controllerConfig == null
                        ? "controllerManager.controllers" : "controllerManager.config." + name));
            }
        }
        return result;
    }

    /** The names of the controllers this controller-manager runs. */
    public List<String> controllers() {
        return List.copyOf(enabled.keySet());
    }

    /** Whether the controllers run now (it leads, or runs without leader election). */
    public boolean isLeading() {
        lock.lock();
        try {
            return running != null;
        } finally {
            lock.unlock();
        }
    }

    private void lead() {
        lock.lock();
        try {
            if (closed || running != null) {
                return;
            }
            running = new Generation();
            log.info("controller-manager: leading, running controllers {}", enabled.keySet());
        } catch (RuntimeException e) {
            log.error("controller-manager: cannot start the controllers", e);
        } finally {
            lock.unlock();
        }
    }

    private void stopLeading() {
        Generation g;
        lock.lock();
        try {
            g = running;
            running = null;
        } finally {
            lock.unlock();
        }
        if (g != null) {
            log.info("controller-manager: no longer leading, stopping the controllers");
            g.close();
        }
    }

    private static String identity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "_" + UUID.randomUUID();
    }

    private final class Callbacks implements LeaderCallbacks {
        @Override
        public void onStartedLeading() {
            lead();
        }

        @Override
        public void onStoppedLeading() {
            stopLeading();
        }
    }

    /** The controllers of one term of leadership, with their informers and event recorders. */
    private final class Generation implements AutoCloseable {
        private final DefaultSharedInformerFactory informers = new DefaultSharedInformerFactory(client, InformerOptions.DEFAULT);
        private final List<AutoCloseable> resources = new ArrayList<>();

        Generation() {
            try {
                List<ControllerRunner> runners = new ArrayList<>();
                for (Map.Entry<String, PluginBinder.Bound<?>> e : enabled.entrySet()) {
                    ApiEventRecorder recorder = new ApiEventRecorder(client, component(e.getKey()), "",
                            pluginContext.clock());
                    resources.add(recorder);
                    DefaultControllerContext context = new DefaultControllerContext(pluginContext.dataDir(),
                            pluginContext.clock(), client, informers, recorder, config.workers());
                    Controller controller = create(e.getValue(), context);
                    ControllerRunner runner = new ControllerRunner(controller, context);
                    resources.add(runner);
                    runners.add(runner);
                }
                informers.start();
                runners.forEach(ControllerRunner::start);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        // Upstream's newer names already end in -controller (taint-eviction-controller).
        private static String component(String controller) {
            return controller.endsWith("-controller") ? controller : controller + "-controller";
        }

        @SuppressWarnings("unchecked")
        private static <C> Controller create(PluginBinder.Bound<C> bound, DefaultControllerContext context) {
            return ((ControllerFactory<C>) bound.factory()).create(bound.config(), context);
        }

        @Override
        public void close() {
            // Runners first, so no worker reads a cache being closed; recorders last, to flush events.
            for (int i = resources.size() - 1; i >= 0; i--) {
                if (resources.get(i) instanceof ControllerRunner r) {
                    r.close();
                }
            }
            informers.close();
            for (AutoCloseable r : resources) {
                if (!(r instanceof ControllerRunner)) {
                    try {
                        r.close();
                    } catch (Exception e) {
                        log.warn("controller-manager: closing {} failed: {}", r, e.toString());
                    }
                }
            }
        }
    }

    /** Stops the controllers, releases the lease and closes the client. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        elector.ifPresent(LeaderElector::close);
        stopLeading();
        client.close();
    }
}
