package io.kube4j.runtime.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.addon.AddOn;
import io.kube4j.api.addon.AddOnContext;
import io.kube4j.api.addon.AddOnFactory;
import io.kube4j.api.plugin.NoConfig;
import io.kube4j.api.plugin.PluginFactory;
import io.kube4j.runtime.addon.AddOnHost;
import io.kube4j.runtime.plugin.Family;
import io.kube4j.runtime.plugin.PluginBinder;
import io.kube4j.runtime.plugin.PluginRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code addons:} section: slots or bare names, with their lines; checked against the add-ons there are. */
class TestAddOnsProfile {
    private static final String PROFILE = """
            apiVersion: kube4j.io/v1alpha1
            kind: ClusterProfile
            metadata: {name: p}
            addons:
              - dns
              - {plugin: dns, config: {port: 53}}
            """;

    @Test
    void slotsAndBareNames() {
        ClusterProfile profile = ProfileLoader.parse("p.yaml", PROFILE);
        assertThat(profile.addons()).extracting(PluginSlot::plugin).containsExactly("dns", "dns");
        assertThat(profile.addons().get(0).config().isEmpty()).isTrue();
        assertThat(profile.addons().get(1).config().path("port").asInt()).isEqualTo(53);
        assertThat(profile.addons()).extracting(PluginSlot::line).containsExactly(5, 6);
        assertThat(ProfileLoader.parse("q.yaml", PROFILE.replace("addons:\n  - dns\n  - {plugin: dns, config: {port: 53}}\n", ""))
                .addons()).isEmpty();
        assertThat(profile.withAddons(List.of()).addons()).isEmpty();
    }

    private static final class Fake implements AddOnFactory<NoConfig> {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public AddOn create(NoConfig config, AddOnContext context) {
            throw new UnsupportedOperationException("not started in this test");
        }
    }

    @Test
    void checkNamesTheFileLineAndChoices() {
        PluginRegistry registry = PluginRegistry.of(Map.of(Family.ADDON, List.<PluginFactory<?>>of(new Fake())));
        ClusterProfile profile = ProfileLoader.parse("p.yaml", PROFILE);
        assertThatThrownBy(() -> AddOnHost.check(profile.addons(), new PluginBinder(registry, "p.yaml")))
                .isInstanceOf(ProfileException.class)
                .hasMessage("p.yaml:5: addons[0]: unknown add-on plugin 'dns'; available: fake");
    }
}
