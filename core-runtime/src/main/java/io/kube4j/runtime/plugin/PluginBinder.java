package io.kube4j.runtime.plugin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.kube4j.api.plugin.PluginFactory;
import io.kube4j.runtime.profile.PluginSlot;
import io.kube4j.runtime.profile.ProfileException;
import java.util.stream.Collectors;

/**
 * Resolves a profile slot to its plugin factory and binds the slot's {@code config} to the
 * factory's config record, with unknown keys as errors (Airlift's "property was not used").
 */
public final class PluginBinder {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final PluginRegistry registry;
    private final String source;

    /** {@code source} is the profile file, named in errors. */
    public PluginBinder(PluginRegistry registry, String source) {
        this.registry = registry;
        this.source = source;
    }

    /** The plugins this binder resolves names against. */
    public PluginRegistry registry() {
        return registry;
    }

    /** The profile file this binder names in errors. */
    public String source() {
        return source;
    }

    /** A factory with its bound config, ready to create the plugin. */
    public record Bound<C>(PluginFactory<C> factory, C config) {
    }

    /** Finds the slot's plugin in {@code family} and binds its config; {@code where} names the slot (e.g. apiserver.storage). */
    @SuppressWarnings("unchecked")
    public <C> Bound<C> bind(Family family, PluginSlot slot, String where) {
        PluginFactory<C> factory = (PluginFactory<C>) registry.find(family, slot.plugin()).orElseThrow(() ->
                new ProfileException(at(slot) + where + ": unknown " + family.label() + " plugin '" + slot.plugin()
                        + "'; available: " + String.join(", ", registry.family(family).keySet())));
        try {
            C config = MAPPER.treeToValue(slot.config(), factory.configType());
            return new Bound<>(factory, config);
        } catch (UnrecognizedPropertyException e) {
            throw new ProfileException(at(slot) + where + " (" + slot.plugin() + "): unknown config key '"
                    + e.getPropertyName() + "'; valid keys: " + e.getKnownPropertyIds().stream().map(String::valueOf)
                    .sorted().collect(Collectors.joining(", ")));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ProfileException(at(slot) + where + " (" + slot.plugin() + "): " + cause.getMessage());
        } catch (JsonMappingException e) {
            throw new ProfileException(at(slot) + where + " (" + slot.plugin() + "): " + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProfileException(at(slot) + where + " (" + slot.plugin() + "): " + e.getOriginalMessage());
        }
    }

    private String at(PluginSlot slot) {
        return slot.line() > 0 ? source + ":" + slot.line() + ": " : source + ": ";
    }
}
