package io.kube4j.runtime.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.plugin.PluginFactory;
import io.kube4j.runtime.profile.PluginSlot;
import io.kube4j.runtime.profile.ProfileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPluginRegistry {

    /** Compiles a plugin that is not on the class path into a jar without META-INF/services. */
    private static Path pluginJar(Path dir, String className, String pluginName) throws IOException {
        Path src = dir.resolve("src/example/" + className + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                package example;
                public final class %s implements io.kube4j.api.auth.AuthorizerFactory<%s.Config> {
                    public record Config(String mode) { }
                    public String name() { return "%s"; }
                    public Class<Config> configType() { return Config.class; }
                    public io.kube4j.api.auth.Authorizer create(Config c, io.kube4j.api.plugin.PluginContext ctx) {
                        return a -> io.kube4j.api.auth.AuthorizationDecision.noOpinion();
                    }
                }
                """.formatted(className, className, pluginName));
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertThat(rc).isZero();
        Path jars = dir.resolve("plugins");
        Files.createDirectories(jars);
        Path jar = jars.resolve(pluginName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (var files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }
        return jars;
    }

    @Test
    void findsFactoriesInJarsOfThePluginsDirectory(@TempDir Path dir) throws IOException {
        Path plugins = pluginJar(dir, "DroppedInFactory", "dropped-in");
        PluginRegistry registry = PluginRegistry.discover(Optional.of(plugins));
        assertThat(registry.family(Family.AUTHORIZATION)).containsKey("dropped-in");
        assertThat(PluginRegistry.discover(Optional.empty()).family(Family.AUTHORIZATION)).doesNotContainKey("dropped-in");

        PluginBinder binder = new PluginBinder(registry, "p.yaml");
        PluginSlot slot = new PluginSlot("dropped-in", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode().put("mode", "x"), 3);
        assertThat(binder.bind(Family.AUTHORIZATION, slot, "apiserver.authorization[0]").config().toString())
                .isEqualTo("Config[mode=x]");
        PluginSlot bad = new PluginSlot("dropped-in", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode().put("mood", "x"), 3);
        assertThatThrownBy(() -> binder.bind(Family.AUTHORIZATION, bad, "apiserver.authorization[0]"))
                .isInstanceOf(ProfileException.class)
                .hasMessage("p.yaml:3: apiserver.authorization[0] (dropped-in): unknown config key 'mood'; valid keys: mode");
    }

    @Test
    void twoPluginsWithOneNameFailNamingBoth() {
        PluginFactory<?> a = new io.kube4j.api.auth.AuthorizerFactory<io.kube4j.api.plugin.NoConfig>() {
            public String name() {
                return "twin";
            }

            public Class<io.kube4j.api.plugin.NoConfig> configType() {
                return io.kube4j.api.plugin.NoConfig.class;
            }

            public io.kube4j.api.auth.Authorizer create(io.kube4j.api.plugin.NoConfig c, io.kube4j.api.plugin.PluginContext x) {
                return attrs -> io.kube4j.api.auth.AuthorizationDecision.noOpinion();
            }
        };
        PluginFactory<?> b = new io.kube4j.api.auth.AuthorizerFactory<io.kube4j.api.plugin.NoConfig>() {
            public String name() {
                return "twin";
            }

            public Class<io.kube4j.api.plugin.NoConfig> configType() {
                return io.kube4j.api.plugin.NoConfig.class;
            }

            public io.kube4j.api.auth.Authorizer create(io.kube4j.api.plugin.NoConfig c, io.kube4j.api.plugin.PluginContext x) {
                return attrs -> io.kube4j.api.auth.AuthorizationDecision.noOpinion();
            }
        };
        assertThatThrownBy(() -> PluginRegistry.of(Map.of(Family.AUTHORIZATION, List.of(a, b))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("authorization plugin 'twin' is provided twice");
    }
}
