package io.kube4j.runtime.cli;

import io.kube4j.api.plugin.PluginFactory;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileException;
import io.kube4j.runtime.profile.ProfileLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code kube4j} command line. */
@Command(name = "kube4j", mixinStandardHelpOptions = true, version = "kube4j 0.1.0",
        description = "A hackable Kubernetes control plane, assembled from a profile of plugins.",
        subcommands = {Kube4jCommand.Up.class, Kube4jCommand.ApiServerCommand.class, Kube4jCommand.Plugins.class,
                Kube4jCommand.ProfileCommand.class})
public final class Kube4jCommand implements Runnable {
    static final String DEFAULT_PROFILE = "single-node.yaml";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Kube4jCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("kube4j: " + e.getMessage());
                    return e instanceof ProfileException ? 2 : 1;
                })
                .execute(args);
        if (code != 0 || !Up.running) {
            System.exit(code);
        }
    }

    /** Options shared by the commands that start components. */
    static class StartOptions {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PROFILE",
                description = "Profile YAML (default: the single-node embedded profile).")
        Path profile;

        @Option(names = "--profile", paramLabel = "PROFILE", description = "Profile YAML (same as the positional PROFILE).")
        Path profileOption;

        @Option(names = "--data-dir", description = "Override the profile's dataDir.")
        String dataDir;

        @Option(names = "--address", description = "Override apiserver.address (host:port; port 0 picks a free one).")
        String address;

        @Option(names = "--plugins-dir", description = "Directory of plugin jars (default: plugins/ beside the launcher).")
        Path pluginsDir;

        Loaded load() {
            ClusterProfile p;
            String source;
            if (profile != null && profileOption != null && !profile.equals(profileOption)) {
                throw new ProfileException("two different profiles given: " + profile + " and --profile " + profileOption);
            }
            Path profile = this.profile != null ? this.profile : profileOption;
            if (profile == null) {
                source = DEFAULT_PROFILE;
                p = ProfileLoader.parse(source, defaultProfileText());
            } else {
                source = profile.toString();
                p = ProfileLoader.load(profile);
            }
            if (dataDir != null) {
                p = p.withDataDir(dataDir);
            }
            if (address != null) {
                p = p.withAddress(address);
            }
            return new Loaded(p, source, Optional.ofNullable(pluginsDir).or(Kube4jCommand::defaultPluginsDir));
        }
    }

    record Loaded(ClusterProfile profile, String source, Optional<Path> pluginsDir) {
    }

    @Command(name = "up", description = "Start every component of a profile in this process; Ctrl-C stops it.")
    static final class Up implements Callable<Integer> {
        static volatile boolean running;

        @CommandLine.Mixin
        StartOptions options = new StartOptions();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            long started = System.nanoTime();
            Loaded l = options.load();
            Cluster cluster = Cluster.start(l.profile(), l.source(), l.pluginsDir());
            running = true;
            CountDownLatch stopped = new CountDownLatch(1);
            PrintWriter out = spec.commandLine().getOut();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println("kube4j: stopping");
                out.flush();
                cluster.close();
                out.println("kube4j: stopped");
                out.flush();
                stopped.countDown();
            }, "kube4j-shutdown"));
            out.printf("kube4j cluster '%s' is up at %s (%d ms)%n", l.profile().name(), cluster.url(),
                    (System.nanoTime() - started) / 1_000_000);
            out.printf("data: %s%n", cluster.dataDir());
            out.println("Point kubectl at it with:");
            out.printf("export KUBECONFIG=%s%n", cluster.kubeconfig());
            out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "apiserver", description = "Run only the API server of a profile.")
    static final class ApiServerCommand implements Callable<Integer> {
        @CommandLine.Mixin
        StartOptions options = new StartOptions();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            Up up = new Up();
            up.options = options;
            up.spec = spec;
            return up.call();
        }
    }

    @Command(name = "plugins", description = "List every discovered plugin per family, with its config keys.")
    static final class Plugins implements Callable<Integer> {
        @Option(names = "--plugins-dir", description = "Directory of plugin jars (default: plugins/ beside the launcher).")
        Path pluginsDir;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PluginRegistry registry = PluginRegistry.discover(Optional.ofNullable(pluginsDir).or(Kube4jCommand::defaultPluginsDir));
            PrintWriter out = spec.commandLine().getOut();
            for (Family f : Family.values()) {
                out.println(f.label() + ":");
                Map<String, PluginFactory<?>> plugins = registry.family(f);
                if (plugins.isEmpty()) {
                    out.println("  (none)");
                }
                plugins.forEach((name, factory) -> {
                    out.printf("  %-22s %s%n", name, factory.description());
                    String keys = configKeys(factory.configType());
                    out.printf("  %-22s config: %s%n", "", keys.isEmpty() ? "(none)" : keys);
                });
            }
            out.flush();
            return 0;
        }

        private static String configKeys(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            if (components == null) {
                return "";
            }
            return Arrays.stream(components).map(c -> keyOf(c) + " (" + c.getType().getSimpleName() + ")")
                    .collect(Collectors.joining(", "));
        }

        /** The key a profile writes: the component's name, or its {@code @JsonProperty} name (a Java keyword, say). */
        private static String keyOf(RecordComponent component) {
            com.fasterxml.jackson.annotation.JsonProperty property =
                    component.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return property != null && !property.value().isEmpty() ? property.value() : component.getName();
        }
    }

    @Command(name = "profile", description = "Work with profiles.", subcommands = ProfileCommand.Check.class)
    static final class ProfileCommand implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        @Command(name = "check", description = "Check a profile: keys, plugin names and plugin configs.")
        static final class Check implements Callable<Integer> {
            @Parameters(index = "0", paramLabel = "FILE")
            Path file;

            @Option(names = "--plugins-dir")
            Path pluginsDir;

            @Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                ClusterProfile p = ProfileLoader.load(file);
                PluginRegistry registry = PluginRegistry.discover(Optional.ofNullable(pluginsDir).or(Kube4jCommand::defaultPluginsDir));
                Cluster.check(p, new PluginBinder(registry, file.toString()));
                spec.commandLine().getOut().printf("%s: profile '%s' is valid%n", file, p.name());
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
    }

    static Optional<Path> defaultPluginsDir() {
        String home = System.getenv("KUBE4J_HOME");
        return home == null ? Optional.empty() : Optional.of(Path.of(home, "plugins"));
    }

    static String defaultProfileText() {
        try (InputStream in = Kube4jCommand.class.getResourceAsStream("/io/kube4j/runtime/profile/" + DEFAULT_PROFILE)) {
            if (in == null) {
                throw new IllegalStateException("the default profile is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
