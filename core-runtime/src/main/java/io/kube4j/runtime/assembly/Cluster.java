package io.kube4j.runtime.assembly;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiClientConfig;
import io.kube4j.api.client.ApiTransport;
import io.kube4j.api.client.HttpApiClient;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.runtime.addon.AddOnHost;
import io.kube4j.runtime.controllermanager.ControllerManager;
import io.kube4j.runtime.kubelet.Kubelet;
import io.kube4j.runtime.pki.ClusterPki;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.PluginSlot;
import io.kube4j.runtime.profile.ProfileException;
import io.kube4j.runtime.proxy.ProxyHost;
import io.kube4j.runtime.proxy.ProxyModule;
import io.kube4j.runtime.scheduler.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A running kube4j cluster, assembled by Guice from a profile: what {@code kube4j up} starts, and
 * what a Java test can embed ({@code try (Cluster c = Cluster.start(profile, "my.yaml", Optional.empty())) {...}}).
 */
public final class Cluster implements AutoCloseable {
    private final LifeCycleManager lifeCycle;
    private final URI url;
    private final Path dataDir;
    private final Path kubeconfig;
    private final Optional<String> adminToken;
    private final Optional<String> caPem;
    private final List<Kubelet> kubelets;
    private final List<ProxyHost> proxies;
    private final Optional<ApiServer> apiServer;

    private Cluster(LifeCycleManager lifeCycle, URI url, Path dataDir, Path kubeconfig, Optional<String> adminToken,
                    Optional<String> caPem, List<Kubelet> kubelets, List<ProxyHost> proxies, Optional<ApiServer> apiServer) {
        this.lifeCycle = lifeCycle;
        this.url = url;
        this.dataDir = dataDir;
        this.kubeconfig = kubeconfig;
        this.adminToken = adminToken;
        this.caPem = caPem;
        this.kubelets = kubelets;
        this.proxies = proxies;
        this.apiServer = apiServer;
    }

    /** Starts every component of the profile in this process; returns when the API server answers. */
    public static Cluster start(ClusterProfile profile, String source, Optional<Path> pluginsDir) {
        PluginRegistry plugins = PluginRegistry.discover(pluginsDir);
        PluginBinder binder = new PluginBinder(plugins, source);
        check(profile, binder);
        Path dataDir = dataDir(profile);
        LifeCycleManager lifeCycle = new LifeCycleManager();
        try {
            Files.createDirectories(dataDir);
            RuntimePluginContext context = new RuntimePluginContext(dataDir, Clock.systemUTC());
            Injector injector;
            URI url;
            Path kubeconfig = dataDir.resolve("kubeconfig");
            Optional<String> token;
            Optional<String> ca;
            Supplier<ApiClient> components;
            Optional<ApiServer> local = Optional.empty();
            if (profile.apiserver().runsHere()) {
                token = adminToken(profile, dataDir);
                Optional<ClusterPki> pki = Optional.empty();
                if (profile.apiserver().tls()) {
                    String host = profile.apiserver().host();
                    List<String> ips = new ArrayList<>();
                    List<String> dns = new ArrayList<>();
                    (host.matches("[0-9.]+") ? ips : dns).add(host);
                    pki = Optional.of(ClusterPki.ensure(dataDir.resolve("pki"), dns, ips));
                }
                injector = Guice.createInjector(Stage.PRODUCTION, binder2 -> {
                    binder2.requireExplicitBindings();
                    binder2.disableCircularProxies();
                    binder2.install(new ClusterModule(profile, plugins, binder, context, lifeCycle));
                    binder2.install(new StorageModule());
                    binder2.install(new AuthModule());
                }, new ApiServerModule(pki));
                ApiServer apiServer = injector.getInstance(ApiServer.class);
                apiServer.start();
                local = Optional.of(apiServer);
                url = apiServer.url();
                ca = pki.map(ClusterPki::caCertificatePem);
                Kubeconfig.write(kubeconfig, profile.name(), url, ca, token);
                if (profile.apiserver().inProcessComponents()) {
                    Optional<String> bearer = token;
                    components = () -> new HttpApiClient(apiServer.localTransport(bearer), ResourceRegistry.builtIn());
                } else {
                    components = httpsClients(List.of(url), token, ca);
                }
            } else {
                // The API servers run elsewhere, on this data directory's CA and admin token.
                List<URI> servers = profile.apiserver().connect().stream().map(URI::create).toList();
                token = connectToken(dataDir.resolve("tokens.csv"));
                ca = connectCa(dataDir.resolve("pki/ca.crt"), servers);
                injector = Guice.createInjector(Stage.PRODUCTION, binder2 -> {
                    binder2.requireExplicitBindings();
                    binder2.disableCircularProxies();
                    binder2.install(new ClusterModule(profile, plugins, binder, context, lifeCycle));
                });
                url = servers.getFirst();
                components = httpsClients(servers, token, ca);
            }
            if (profile.scheduler().isPresent()) {
                // Managed after the API server, so closed before it.
                injector.createChildInjector(new SchedulerModule(components))
                        .getInstance(Scheduler.class);
            }
            if (profile.controllerManager().isPresent()) {
                injector.createChildInjector(new ControllerManagerModule(components))
                        .getInstance(ControllerManager.class);
            }
            List<Kubelet> kubelets = List.of();
            if (!profile.nodes().isEmpty()) {
                kubelets = injector.createChildInjector(new KubeletModule(components))
                        .getInstance(KubeletModule.Kubelets.class).all();
            }
            List<ProxyHost> proxies = List.of();
            if (profile.proxy().isPresent()) {
                proxies = injector.createChildInjector(new ProxyModule(components, context))
                        .getInstance(ProxyModule.Proxies.class).all();
            }
            if (!profile.addons().isEmpty()) {
                injector.createChildInjector(new AddOnModule(components)).getInstance(AddOnHost.class);
            }
            return new Cluster(lifeCycle, url, dataDir, kubeconfig, token, ca, kubelets, proxies, local);
        } catch (com.google.inject.ProvisionException | com.google.inject.CreationException e) {
            lifeCycle.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof ProfileException pe) {
                throw pe;
            }
            throw new IllegalStateException("cannot start cluster " + profile.name() + ": " + cause.getMessage(), cause);
        } catch (IOException e) {
            lifeCycle.close();
            throw new UncheckedIOException("cannot start cluster " + profile.name() + ": " + e.getMessage(), e);
        } catch (Exception e) {
            lifeCycle.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot start cluster " + profile.name() + ": " + e.getMessage(), e);
        }
    }

    /** Checks every slot of the profile against the plugins there are: what {@code kube4j profile check} does. */
    public static void check(ClusterProfile profile, PluginBinder binder) {
        var a = profile.apiserver();
        binder.bind(io.kube4j.runtime.plugin.Family.STORAGE, a.storage(), "apiserver.storage");
        int i = 0;
        for (PluginSlot s : a.authentication()) {
            binder.bind(io.kube4j.runtime.plugin.Family.AUTHENTICATION, s, "apiserver.authentication[" + i++ + "]");
        }
        i = 0;
        for (PluginSlot s : a.authorization()) {
            binder.bind(io.kube4j.runtime.plugin.Family.AUTHORIZATION, s, "apiserver.authorization[" + i++ + "]");
        }
        i = 0;
        for (PluginSlot s : a.admission()) {
            binder.bind(io.kube4j.runtime.plugin.Family.ADMISSION, s, "apiserver.admission[" + i++ + "]");
        }
        for (int n = 0; n < profile.nodes().size(); n++) {
            Kubelet.check(profile.nodes().get(n), binder, "nodes[" + n + "]");
        }
        if (profile.scheduler().isPresent()) {
            Scheduler.check(profile.scheduler().get(), binder.registry(), binder,
                    new RuntimePluginContext(dataDir(profile), Clock.systemUTC()));
        }
        if (profile.controllerManager().isPresent()) {
            ControllerManager.check(profile.controllerManager().get(), binder);
        }
        if (profile.proxy().isPresent()) {
            if (profile.nodes().isEmpty()) {
                throw new ProfileException(binder.source() + ": proxy: a proxy runs for each node of nodes:, and there is none");
            }
            ProxyHost.check(profile.proxy().get(), binder);
        }
        AddOnHost.check(profile.addons(), binder);
    }

    /** A new client, for each component that asks, of the API servers at {@code servers} over HTTPS. */
    private static Supplier<ApiClient> httpsClients(List<URI> servers, Optional<String> token, Optional<String> ca) {
        ApiClientConfig one = ApiClientConfig.of(servers.getFirst());
        ApiClientConfig config = new ApiClientConfig(servers, one.bearerToken(), one.caCertificatePem(), one.insecure(),
                one.requestTimeout());
        if (token.isPresent()) {
            config = config.withToken(token.get());
        }
        ApiClientConfig https = ca.isPresent() ? config.withCaCertificate(ca.get()) : config;
        return () -> new HttpApiClient(https, ResourceRegistry.builtIn());
    }

    /** The profile's dataDir with {@code ~} expanded. */
    public static Path dataDir(ClusterProfile profile) {
        String d = profile.dataDir();
        if (d.equals("~") || d.startsWith("~/")) {
            d = System.getProperty("user.home") + d.substring(1);
        }
        return Path.of(d).toAbsolutePath().normalize();
    }

    /** The admin token the API servers wrote to the shared data directory. */
    private static Optional<String> connectToken(Path tokenFile) throws IOException {
        if (!Files.exists(tokenFile)) {
            throw new ProfileException("apiserver.connect: the admin token file " + tokenFile + " does not exist; "
                    + "start an API server on this data directory first (it writes the token and the CA there)");
        }
        return Credentials.ensureAdminToken(tokenFile);
    }

    /** The cluster CA the API servers wrote to the shared data directory, when they serve HTTPS. */
    private static Optional<String> connectCa(Path caFile, List<URI> servers) throws IOException {
        if (servers.stream().noneMatch(u -> u.getScheme().equals("https"))) {
            return Optional.empty();
        }
        if (!Files.exists(caFile)) {
            throw new ProfileException("apiserver.connect: the cluster CA " + caFile + " does not exist; start an API "
                    + "server on this data directory first (it writes the token and the CA there)");
        }
        return Optional.of(Files.readString(caFile));
    }

    private static Optional<String> adminToken(ClusterProfile profile, Path dataDir) throws IOException {
        for (PluginSlot s : profile.apiserver().authentication()) {
            if (s.plugin().equals("token") && s.config().hasNonNull("file")) {
                Path file = dataDir.resolve(s.config().get("file").asText());
                return Credentials.ensureAdminToken(file);
            }
        }
        return Optional.empty();
    }

    /** The API server's URL: the one in this process, else the first of {@code apiserver.connect}. */
    public URI url() {
        return url;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public Optional<String> adminToken() {
        return adminToken;
    }

    public Optional<String> caCertificatePem() {
        return caPem;
    }

    /** The kubelets running in this process, one per node of the profile. */
    public List<Kubelet> kubelets() {
        return kubelets;
    }

    /** The kube-proxies running in this process, one per node of the profile when it has a proxy section. */
    public List<ProxyHost> proxies() {
        return proxies;
    }

    /**
     * A client of the API server in this process that reaches it in-process, as this process's
     * components do by default: authenticated with the admin token, authorized, admitted and
     * answered as over HTTPS, without the network. For code that embeds a cluster.
     *
     * @throws IllegalStateException when the API server runs elsewhere ({@code apiserver.connect})
     */
    public ApiClient inProcessClient() {
        return new HttpApiClient(inProcessTransport(adminToken), ResourceRegistry.builtIn());
    }

    /** The in-process transport of {@link #inProcessClient()}, authenticating with {@code bearerToken}. */
    public ApiTransport inProcessTransport(Optional<String> bearerToken) {
        return apiServer.orElseThrow(() -> new IllegalStateException("the API server of this cluster runs in another "
                + "process (apiserver.connect): reach it at " + url)).localTransport(bearerToken);
    }

    /** Stops every component, in reverse order of starting. */
    @Override
    public void close() {
        lifeCycle.close();
    }
}
