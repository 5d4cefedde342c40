package io.kube4j.runtime.profile;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * One plugin slot of a profile: {@code {plugin: NAME, config: {...}}}. {@code line} is where the
 * slot starts in the profile file, for error messages.
 */
@JsonDeserialize(using = PluginSlotDeserializer.class)
public record PluginSlot(String plugin, JsonNode config, int line) {
    public PluginSlot {
        requireNonNull(plugin, "plugin is null");
        requireNonNull(config, "config is null");
    }

    public static PluginSlot of(String plugin) {
        return new PluginSlot(plugin, JsonNodeFactory.instance.objectNode(), 0);
    }
}
