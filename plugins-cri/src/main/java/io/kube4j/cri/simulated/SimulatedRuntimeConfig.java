package io.kube4j.cri.simulated;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.plugin.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Config of the {@code simulated} runtime.
 *
 * @param startDelay how long a container takes from start to RUNNING, as a Go duration; default {@code "0s"}
 * @param runFor     how long the container of a pod annotated {@code kube4j.io/simulate: complete}
 *                   (or {@code fail}) runs before it exits, as a Go duration; default {@code "1s"}
 *                   (the annotation {@code kube4j.io/simulate-run-for} overrides it per pod)
 * @param capacity   what the node offers, by resource name ({@code node.status.capacity} and
 *                   {@code allocatable}); the keys given replace the defaults {@code cpu: "32"},
 *                   {@code memory: 256Gi}, {@code ephemeral-storage: 1Ti}, {@code pods: "110"}
 */
public record SimulatedRuntimeConfig(String startDelay, String runFor, Map<String, String> capacity) {
    public static final Map<String, String> DEFAULT_CAPACITY = defaultCapacity();

    public SimulatedRuntimeConfig {
        startDelay = startDelay == null ? "0s" : startDelay;
        runFor = runFor == null ? "1s" : runFor;
        if (Durations.parse("startDelay", startDelay).isNegative()) {
            throw new IllegalArgumentException("startDelay must not be negative: " + startDelay);
        }
        if (Durations.parse("runFor", runFor).isNegative()) {
            throw new IllegalArgumentException("runFor must not be negative: " + runFor);
        }
        Map<String, String> merged = new LinkedHashMap<>(DEFAULT_CAPACITY);
        if (capacity != null) {
            capacity.forEach((name, value) -> {
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException("capacity." + name + " is empty");
                }
                try {
                    Quantity.getAmountInBytes(new Quantity(value));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new IllegalArgumentException("capacity." + name + " is not a quantity: " + value);
                }
                merged.put(name, value.strip());
            });
        }
        capacity = Map.copyOf(merged);
    }

    public static SimulatedRuntimeConfig defaults() {
        return new SimulatedRuntimeConfig(null, null, null);
    }

    /** {@link #startDelay()} parsed. */
    public Duration startDelayDuration() {
        return Durations.parse("startDelay", startDelay);
    }

    /** {@link #runFor()} parsed. */
    public Duration runForDuration() {
        return Durations.parse("runFor", runFor);
    }

    private static Map<String, String> defaultCapacity() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("cpu", "32");
        c.put("memory", "256Gi");
        c.put("ephemeral-storage", "1Ti");
        c.put("pods", "110");
        return Map.copyOf(c);
    }
}
