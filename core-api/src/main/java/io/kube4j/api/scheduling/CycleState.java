package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What plugins remember during one pod's scheduling cycle: typically PreFilter computes something
 * once, and Filter reads it for every node. A new CycleState is made for each attempt and dropped
 * after the binding cycle; nothing in it outlives the pod's attempt.
 *
 * <p>Thread-safe: Filter and Score run in parallel over nodes and read concurrently; writes
 * usually happen in the single-threaded points (PreFilter, PreScore, Reserve). Keys should be
 * owned by one plugin (name them after it) so that plugins do not step on each other.
 */
public final class CycleState {

    /** A typed key; two keys are the same when their names are. */
    public record Key<T extends StateData>(String name, Class<T> type) {
        public Key {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name is blank");
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key<?> key && key.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    /**
     * A value kept in a CycleState. Preemption copies the state to try "what if these pods were
     * gone" without touching the original; mutable values must therefore copy themselves.
     */
    public interface StateData {

        /** A copy that shares no mutable part with this one; immutable values return {@code this}. */
        default StateData copy() {
            return this;
        }
    }

    private final Map<String, StateData> values;

    public CycleState() {
        this.values = new ConcurrentHashMap<>();
    }

    private CycleState(Map<String, StateData> values) {
        this.values = values;
    }

    /** The value under {@code key}, or empty if none was written in this cycle. */
    public <T extends StateData> Optional<T> read(Key<T> key) {
        requireNonNull(key, "key is null");
        StateData value = values.get(key.name());
        if (value == null) {
            return Optional.empty();
        }
        if (!key.type().isInstance(value)) {
            throw new IllegalStateException("cycle state key " + key.name() + " holds a "
                    + value.getClass().getName() + ", not a " + key.type().getName());
        }
        return Optional.of(key.type().cast(value));
    }

    /** Stores {@code value} under {@code key}, replacing any earlier value. */
    public <T extends StateData> void write(Key<T> key, T value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        values.put(key.name(), key.type().cast(value));
    }

    /** Removes the value under {@code key}; a no-op when there is none. */
    public void delete(Key<?> key) {
        requireNonNull(key, "key is null");
        values.remove(key.name());
    }

    /** A deep copy, each value copied with {@link StateData#copy()}, for preemption's what-if runs. */
    public CycleState copy() {
        Map<String, StateData> copied = new ConcurrentHashMap<>();
        values.forEach((name, value) -> copied.put(name, requireNonNull(value.copy(), "copy() of " + name + " is null")));
        return new CycleState(copied);
    }
}
