package io.kube4j.runtime.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.List;

/** Reads a slot, remembering its line; {@code plugin: NAME} alone may also be written as just {@code NAME}. */
final class PluginSlotDeserializer extends StdDeserializer<PluginSlot> {
    PluginSlotDeserializer() {
        super(PluginSlot.class);
    }

    @Override
    public PluginSlot deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        int line = p.currentLocation().getLineNr();
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return new PluginSlot(p.getText(), JsonNodeFactory.instance.objectNode(), line);
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return (PluginSlot) ctx.handleUnexpectedToken(PluginSlot.class, p);
        }
        String plugin = null;
        JsonNode config = JsonNodeFactory.instance.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "plugin", "name" -> plugin = p.getValueAsString();
                case "config", "args" -> {
                    config = ctx.readTree(p);
                    if (config.isNull()) {
                        config = JsonNodeFactory.instance.objectNode();
                    }
                }
                default -> throw UnrecognizedPropertyException.from(p, PluginSlot.class, field,
                        List.<Object>of("plugin", "config"));
            }
        }
        if (plugin == null || plugin.isBlank()) {
            ctx.reportInputMismatch(PluginSlot.class, "a plugin slot needs 'plugin: NAME' (line " + line + ")");
        }
        return new PluginSlot(plugin, config, line);
    }
}
