package io.kube4j.runtime.plugin;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import io.kube4j.api.plugin.PluginFactory;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every plugin the runtime can use, per family and name: found with {@link ServiceLoader} on the
 * class path, plus every factory class in the jars of a plugins directory (found with classgraph,
 * so a jar needs no {@code META-INF/services} entry). Two plugins of one family with one name fail
 * startup, naming both.
 */
public final class PluginRegistry {
    private final Map<Family, Map<String, PluginFactory<?>>> plugins = new EnumMap<>(Family.class);

    private PluginRegistry() {
        for (Family f : Family.values()) {
            plugins.put(f, new TreeMap<>());
        }
    }

    /** Discovers plugins on the class path and, if the directory exists, in its jars. */
    public static PluginRegistry discover(Optional<Path> pluginsDir) {
        PluginRegistry r = new PluginRegistry();
        ClassLoader base = PluginRegistry.class.getClassLoader();
        for (Family f : Family.values()) {
            for (PluginFactory<?> p : ServiceLoader.load(f.factoryType(), base)) {
                r.add(f, p);
            }
        }
        if (pluginsDir.isPresent() && Files.isDirectory(pluginsDir.get())) {
            r.scanJars(pluginsDir.get(), base);
        }
        return r;
    }

    private void scanJars(Path dir, ClassLoader parent) {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(p.toUri().toURL());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list plugins directory " + dir + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            return;
        }
        URLClassLoader loader = new URLClassLoader("kube4j-plugins", jars.toArray(URL[]::new), parent);
        try (ScanResult scan = new ClassGraph().overrideClassLoaders(loader).ignoreParentClassLoaders()
                .enableClassInfo().scan()) {
            for (Family f : Family.values()) {
                for (ClassInfo ci : scan.getClassesImplementing(f.factoryType().getName())) {
                    if (ci.isAbstract() || ci.isInterface() || !ci.isPublic()) {
                        continue;
                    }
                    add(f, instantiate(ci.loadClass()));
                }
            }
        }
    }

    private static PluginFactory<?> instantiate(Class<?> type) {
        try {
            var ctor = type.getConstructor();
            if (!Modifier.isPublic(ctor.getModifiers())) {
                throw new IllegalStateException(type.getName() + " needs a public no-arg constructor");
            }
            return (PluginFactory<?>) ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create plugin factory " + type.getName() + ": " + e, e);
        }
    }

    private void add(Family family, PluginFactory<?> factory) {
        Map<String, PluginFactory<?>> byName = plugins.get(family);
        PluginFactory<?> existing = byName.get(factory.name());
        if (existing != null) {
            if (existing.getClass().getName().equals(factory.getClass().getName())) {
                return;
            }
            throw new IllegalStateException(family.label() + " plugin '" + factory.name() + "' is provided twice: by "
                    + existing.getClass().getName() + " and " + factory.getClass().getName());
        }
        byName.put(factory.name(), factory);
    }

    /** The plugins of a family by name, sorted. */
    public Map<String, PluginFactory<?>> family(Family family) {
        return Collections.unmodifiableMap(plugins.get(family));
    }

    public Optional<PluginFactory<?>> find(Family family, String name) {
        return Optional.ofNullable(plugins.get(family).get(name));
    }

    /** For tests: a registry of exactly these factories. */
    public static PluginRegistry of(Map<Family, List<PluginFactory<?>>> factories) {
        PluginRegistry r = new PluginRegistry();
        factories.forEach((f, list) -> list.forEach(p -> r.add(f, p)));
        return r;
    }

}
