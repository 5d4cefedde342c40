package io.kube4j.runtime.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.List;

/** Reads a {@link SchedulerPluginRef}, remembering its line; a bare {@code NAME} is accepted too. */
final class SchedulerPluginRefDeserializer extends StdDeserializer<SchedulerPluginRef> {
    SchedulerPluginRefDeserializer() {
        super(SchedulerPluginRef.class);
    }

    @Override
    public SchedulerPluginRef deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        int line = p.currentLocation().getLineNr();
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return new SchedulerPluginRef(p.getText(), 0, line);
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return (SchedulerPluginRef) ctx.handleUnexpectedToken(SchedulerPluginRef.class, p);
        }
        String name = null;
        int weight = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> name = p.getValueAsString();
                case "weight" -> {
                    if (!p.currentToken().isNumeric()) {
                        ctx.reportInputMismatch(SchedulerPluginRef.class, "weight must be a number (line " + line + ")");
                    }
                    weight = p.getIntValue();
                }
                default -> throw UnrecognizedPropertyException.from(p, SchedulerPluginRef.class, field,
                        List.<Object>of("name", "weight"));
            }
        }
        if (name == null || name.isBlank()) {
            ctx.reportInputMismatch(SchedulerPluginRef.class, "a scheduler plugin entry needs 'name: NAME' (line " + line + ")");
        }
        if (weight < 0) {
            ctx.reportInputMismatch(SchedulerPluginRef.class, "weight of " + name + " must be >= 0 (line " + line + ")");
        }
        return new SchedulerPluginRef(name, weight, line);
    }
}
