package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An amount of node resources, in the units the scheduler computes with: CPU in millicores,
 * memory and ephemeral storage in bytes, pods as a count, and every other resource (extended
 * resources such as {@code example.com/gpu}, {@code hugepages-2Mi}) as a whole number in
 * {@code scalar}. Immutable; amounts are never negative.
 */
public record Resources(long milliCpu, long memoryBytes, long ephemeralStorageBytes, long pods,
                        Map<String, Long> scalar) {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    public static final Resources ZERO = new Resources(0, 0, 0, 0, Map.of());

    public Resources {
        requireNonNull(scalar, "scalar is null");
        checkNotNegative("milliCpu", milliCpu);
        checkNotNegative("memoryBytes", memoryBytes);
        checkNotNegative("ephemeralStorageBytes", ephemeralStorageBytes);
        checkNotNegative("pods", pods);
        scalar = checkedScalar(scalar);
    }

    // Most amounts have no scalar resources: then no map to sort and copy per sum.
    private static Map<String, Long> checkedScalar(Map<String, Long> scalar) {
        if (scalar.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> sorted = new TreeMap<>();
        scalar.forEach((name, amount) -> {
            requireNonNull(name, "scalar resource name is null");
            checkNotNegative(name, requireNonNull(amount, "amount of " + name + " is null"));
            if (isNamed(name)) {
                throw new IllegalArgumentException(name + " is not a scalar resource");
            }
            if (amount != 0) {
                sorted.put(name, amount);
            }
        });
        return Map.copyOf(sorted);
    }

    /**
     * Converts a resource list as it appears in a pod spec or node status. CPU is rounded up to
     * whole millicores, memory and storage up to whole bytes, scalar resources up to whole units.
     */
    public static Resources of(Map<String, Quantity> list) {
        requireNonNull(list, "list is null");
        long milliCpu = 0;
        long memory = 0;
        long storage = 0;
        long pods = 0;
        Map<String, Long> scalar = new HashMap<>();
        for (Map.Entry<String, Quantity> entry : list.entrySet()) {
            BigDecimal amount = Quantity.getAmountInBytes(requireNonNull(entry.getValue(), "quantity of " + entry.getKey()));
            switch (entry.getKey()) {
                case CPU -> milliCpu = amount.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
                case MEMORY -> memory = whole(amount);
                case EPHEMERAL_STORAGE -> storage = whole(amount);
                case PODS -> pods = whole(amount);
                default -> scalar.put(entry.getKey(), whole(amount));
            }
        }
        return new Resources(milliCpu, memory, storage, pods, scalar);
    }

    /** The amount of one scalar resource, 0 when absent. */
    public long scalar(String name) {
        return scalar.getOrDefault(name, 0L);
    }

    public Resources plus(Resources other) {
        if (other.scalar.isEmpty()) {
            return new Resources(Math.addExact(milliCpu, other.milliCpu), Math.addExact(memoryBytes, other.memoryBytes),
                    Math.addExact(ephemeralStorageBytes, other.ephemeralStorageBytes), Math.addExact(pods, other.pods), scalar);
        }
        Map<String, Long> sum = new HashMap<>(scalar);
        other.scalar.forEach((name, amount) -> sum.merge(name, amount, Math::addExact));
        return new Resources(Math.addExact(milliCpu, other.milliCpu), Math.addExact(memoryBytes, other.memoryBytes),
                Math.addExact(ephemeralStorageBytes, other.ephemeralStorageBytes), Math.addExact(pods, other.pods), sum);
    }

    /** This minus {@code other}, never below zero per resource (a pod's requests leaving a node that lost track of it). */
    public Resources minus(Resources other) {
        Map<String, Long> difference = new HashMap<>(scalar);
        other.scalar.forEach((name, amount) -> difference.computeIfPresent(name, (key, mine) -> Math.max(0, mine - amount)));
        return new Resources(Math.max(0, milliCpu - other.milliCpu), Math.max(0, memoryBytes - other.memoryBytes),
                Math.max(0, ephemeralStorageBytes - other.ephemeralStorageBytes), Math.max(0, pods - other.pods),
                difference);
    }

    private static boolean isNamed(String name) {
        return name.equals(CPU) || name.equals(MEMORY) || name.equals(EPHEMERAL_STORAGE) || name.equals(PODS);
    }

    private static long whole(BigDecimal amount) {
        return amount.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static void checkNotNegative(String name, long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException(name + " must be >= 0: " + amount);
        }
    }
}
