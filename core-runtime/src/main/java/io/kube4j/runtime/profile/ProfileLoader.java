package io.kube4j.runtime.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

/** Reads a profile YAML into {@link ClusterProfile}, with errors that name the file, line and valid keys. */
public final class ProfileLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ProfileLoader() {
    }

    public static ClusterProfile load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ProfileException(file + ": no such profile file");
        } catch (IOException e) {
            throw new ProfileException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** Parses profile text; {@code source} names it in errors. */
    public static ClusterProfile parse(String source, String text) {
        ClusterProfile profile;
        try {
            profile = YAML.readValue(text, ClusterProfile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ProfileException(source + ":" + lineOf(text, e) + ": unknown key '" + e.getPropertyName() + "'"
                    + in(e) + "; valid keys: " + keys(e.getKnownPropertyIds()));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ProfileException(where(source, e.getLocation()) + cause.getMessage());
        } catch (JsonMappingException e) {
            throw new ProfileException(where(source, e.getLocation()) + e.getOriginalMessage() + in(e));
        } catch (JsonProcessingException e) {
            throw new ProfileException(where(source, e.getLocation()) + "not valid YAML: " + e.getOriginalMessage());
        }
        if (profile == null) {
            throw new ProfileException(source + ": the profile is empty");
        }
        if (!ClusterProfile.API_VERSION.equals(profile.apiVersion())) {
            throw new ProfileException(source + ":1: apiVersion must be " + ClusterProfile.API_VERSION + ", not "
                    + profile.apiVersion());
        }
        if (!ClusterProfile.KIND.equals(profile.kind())) {
            throw new ProfileException(source + ":1: kind must be " + ClusterProfile.KIND + ", not " + profile.kind());
        }
        return profile;
    }

    /**
     * The line of the key the exception is about. Records are built after their whole object is
     * read, so Jackson's own location is the object's end; follow the key path through the text
     * instead, falling back to Jackson's line for flow-style YAML.
     */
    static int lineOf(String text, JsonMappingException e) {
        String[] lines = text.split("\n", -1);
        int at = 0;
        boolean found = false;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() == null) {
                continue;
            }
            found = false;
            for (int i = at; i < lines.length; i++) {
                String t = lines[i].trim();
                if (t.startsWith("- ")) {
                    t = t.substring(2).trim();
                }
                if (t.startsWith(r.getFieldName() + ":")) {
                    at = i;
                    found = true;
                    break;
                }
            }
        }
        return found ? at + 1 : e.getLocation() == null ? 1 : e.getLocation().getLineNr();
    }

    static String where(String source, JsonLocation location) {
        return location == null ? source + ": " : source + ":" + location.getLineNr() + ": ";
    }

    private static String in(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .filter(Objects::nonNull)
                .collect(Collectors.joining(".")).replace(".[", "[");
        int dot = path.lastIndexOf('.');
        String parent = dot < 0 ? "" : path.substring(0, dot);
        return parent.isEmpty() ? "" : " in " + parent;
    }

    private static String keys(Collection<Object> known) {
        return known == null ? "" : known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
}
