package io.kube4j.runtime.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.List;

/**
 * Reads the {@code proxy:} section, which is itself the mode's slot ({@code plugin}, {@code config})
 * beside the proxy's own keys; {@code mode: NAME} or {@code mode: {plugin: ..., config: ...}} is
 * the same slot written as ARCHITECTURE.md shows it. The slot's line is where its {@code plugin:} is.
 */
final class ProxyProfileDeserializer extends StdDeserializer<ProxyProfile> {
    private static final List<Object> KEYS = List.of("address", "config", "minSyncPeriod", "mode", "plugin", "syncPeriod");

    ProxyProfileDeserializer() {
        super(ProxyProfile.class);
    }

    @Override
    public ProxyProfile deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return (ProxyProfile) ctx.handleUnexpectedToken(ProxyProfile.class, p);
        }
        String plugin = null;
        int pluginLine = p.currentLocation().getLineNr();
        JsonNode config = null;
        PluginSlot mode = null;
        String minSyncPeriod = null;
        String syncPeriod = null;
        String address = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            int line = p.currentLocation().getLineNr();
            p.nextToken();
            switch (field) {
                case "plugin" -> {
                    plugin = p.getValueAsString();
                    pluginLine = line;
                }
                case "config" -> config = ctx.readTree(p);
                case "mode" -> mode = ctx.readValue(p, PluginSlot.class);
                case "minSyncPeriod" -> minSyncPeriod = p.getValueAsString();
                case "syncPeriod" -> syncPeriod = p.getValueAsString();
                case "address" -> address = p.getValueAsString();
                default -> throw UnrecognizedPropertyException.from(p, ProxyProfile.class, field, KEYS);
            }
        }
        try {
            if (plugin != null && mode != null) {
                throw new IllegalArgumentException("proxy: give the mode as 'plugin:' or as 'mode:', not both");
            }
            if (plugin == null && config != null) {
                throw new IllegalArgumentException("proxy.config needs 'plugin: NAME' beside it");
            }
            if (plugin != null) {
                mode = new PluginSlot(plugin, config == null || config.isNull() ? JsonNodeFactory.instance.objectNode() : config,
                        pluginLine);
            }
            return new ProxyProfile(mode, minSyncPeriod, syncPeriod, address);
        } catch (IllegalArgumentException e) {
            throw ValueInstantiationException.from(p, e.getMessage(), ctx.constructType(ProxyProfile.class), e);
        }
    }
}
