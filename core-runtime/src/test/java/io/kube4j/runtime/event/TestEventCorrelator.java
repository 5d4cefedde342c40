package io.kube4j.runtime.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.runtime.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestEventCorrelator {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T12:00:00Z"));
    private final EventCorrelator correlator = new EventCorrelator(clock);

    private static EventCorrelator.Occurrence created(String object, String message) {
        return new EventCorrelator.Occurrence("replicaset-controller", "", "ReplicaSet", "default", object, "uid-" + object,
                "apps/v1", "Normal", "SuccessfulCreate", message);
    }

    @Test
    void repeatsShareAKeyAndDistinctMessagesAreCombinedFromTheTenth() {
        EventCorrelator.Decision first = correlator.correlate(created("web", "Created pod: web-0"));
        EventCorrelator.Decision again = correlator.correlate(created("web", "Created pod: web-0"));
        assertThat(again.key()).isEqualTo(first.key());
        assertThat(again.message()).isEqualTo("Created pod: web-0");
        for (int i = 1; i < 9; i++) {
            EventCorrelator.Decision d = correlator.correlate(created("web", "Created pod: web-" + i));
            assertThat(d.message()).as("message %d is still its own", i).isEqualTo("Created pod: web-" + i);
            assertThat(d.key()).isNotEqualTo(first.key());
        }
        EventCorrelator.Decision tenth = correlator.correlate(created("web", "Created pod: web-9"));
        EventCorrelator.Decision eleventh = correlator.correlate(created("web", "Created pod: web-10"));
        assertThat(tenth.message()).isEqualTo("(combined from similar events): Created pod: web-9");
        assertThat(eleventh.message()).isEqualTo("(combined from similar events): Created pod: web-10");
        assertThat(eleventh.key()).as("combined events are counted on one Event").isEqualTo(tenth.key());
        assertThat(correlator.correlate(created("db", "Created pod: db-0")).message())
                .as("another object is not combined with these").isEqualTo("Created pod: db-0");
    }

    @Test
    void similarEventsAreCombinedOnlyWithinTenMinutesOfTheLast() {
        for (int i = 0; i < 9; i++) {
            correlator.correlate(created("web", "Created pod: web-" + i));
        }
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(correlator.correlate(created("web", "Created pod: web-9")).message()).isEqualTo("Created pod: web-9");
    }

    @Test
    void eachObjectGets25EventsAtOnceThenOneEveryFiveMinutes() {
        for (int i = 0; i < 25; i++) {
            assertThat(correlator.correlate(created("web", "Created pod: web-" + i)).filtered()).as("event %d", i).isFalse();
        }
        assertThat(correlator.correlate(created("web", "Created pod: web-25")).filtered()).isTrue();
        assertThat(correlator.correlate(created("db", "Created pod: db-0")).filtered()).as("another object").isFalse();
        clock.advance(Duration.ofMinutes(5));
        assertThat(correlator.correlate(created("web", "Created pod: web-26")).filtered()).as("refilled one").isFalse();
        assertThat(correlator.correlate(created("web", "Created pod: web-27")).filtered()).isTrue();
    }

    @Test
    void aClusterScopedObjectWithoutNamespaceOrUidIsCorrelatedToo() {
        EventCorrelator.Occurrence node = new EventCorrelator.Occurrence("nodeipam-controller", null, "Node", null, "node-1",
                null, "v1", "Normal", "CIDRAssigned", "Node node-1 was given pod CIDR 10.244.0.0/24");
        EventCorrelator.Decision first = correlator.correlate(node);
        assertThat(first.filtered()).isFalse();
        assertThat(correlator.correlate(node).key()).isEqualTo(first.key());
    }
}
