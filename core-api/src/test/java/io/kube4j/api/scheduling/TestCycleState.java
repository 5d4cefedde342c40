package io.kube4j.api.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestCycleState {

    record Counter(int value) implements CycleState.StateData {
    }

    static final class Victims implements CycleState.StateData {
        final List<String> names = new ArrayList<>();

        @Override
        public Victims copy() {
            Victims copy = new Victims();
            copy.names.addAll(names);
            return copy;
        }
    }

    private static final CycleState.Key<Counter> COUNTER = new CycleState.Key<>("Toy/counter", Counter.class);
    private static final CycleState.Key<Victims> VICTIMS = new CycleState.Key<>("Toy/victims", Victims.class);

    @Test
    void readsWhatWasWritten() {
        CycleState state = new CycleState();
        assertThat(state.read(COUNTER)).isEmpty();
        state.write(COUNTER, new Counter(3));
        assertThat(state.read(COUNTER)).contains(new Counter(3));
        state.delete(COUNTER);
        assertThat(state.read(COUNTER)).isEmpty();
    }

    @Test
    void copyIsDeepForMutableData() {
        CycleState state = new CycleState();
        Victims victims = new Victims();
        victims.names.add("low-priority");
        state.write(VICTIMS, victims);
        state.write(COUNTER, new Counter(1));

        CycleState whatIf = state.copy();
        whatIf.read(VICTIMS).orElseThrow().names.add("another");
        whatIf.write(COUNTER, new Counter(2));

        assertThat(state.read(VICTIMS).orElseThrow().names).containsExactly("low-priority");
        assertThat(state.read(COUNTER)).contains(new Counter(1));
        assertThat(whatIf.read(VICTIMS).orElseThrow().names).containsExactly("low-priority", "another");
    }

    @Test
    void aKeyNameReadWithTheWrongTypeFailsLoudly() {
        CycleState state = new CycleState();
        state.write(COUNTER, new Counter(1));
        CycleState.Key<Victims> clash = new CycleState.Key<>("Toy/counter", Victims.class);
        assertThat(clash).isEqualTo(COUNTER);
        assertThatThrownBy(() -> state.read(clash)).isInstanceOf(IllegalStateException.class).hasMessageContaining("Toy/counter");
    }

    @Test
    void keysNeedANonBlankName() {
        assertThatThrownBy(() -> new CycleState.Key<>(" ", Counter.class)).isInstanceOf(IllegalArgumentException.class);
    }
}
