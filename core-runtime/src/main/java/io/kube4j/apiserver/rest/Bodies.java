package io.kube4j.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/** Parsing of request bodies that may be YAML or JSON (JSON is YAML). */
public final class Bodies {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Bodies() {
    }

    public static JsonNode yamlOrJson(byte[] body) throws IOException {
        int i = 0;
        while (i < body.length && Character.isWhitespace(body[i])) {
            i++;
        }
        if (i < body.length && (body[i] == '{' || body[i] == '[')) {
            return JSON.readTree(body);
        }
        return YAML.readTree(body);
    }
}
