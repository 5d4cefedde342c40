package io.kube4j.api.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestEventRecorder {

    @Test
    void wireNamesAreThoseTheApiAccepts() {
        assertThat(EventType.NORMAL.wireName()).isEqualTo("Normal");
        assertThat(EventType.WARNING.wireName()).isEqualTo("Warning");
    }

    @Test
    void aRecorderSeesTheFormattedMessage() {
        List<String> seen = new ArrayList<>();
        EventRecorder recorder = (regarding, type, reason, format, args) ->
                seen.add(regarding.getMetadata().getName() + " " + type.wireName() + " " + reason + " "
                        + String.format(format, args));
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata().build();

        recorder.event(pod, EventType.NORMAL, "Scheduled", "Successfully assigned %s to %s", "default/web", "node-1");

        assertThat(seen).containsExactly("web Normal Scheduled Successfully assigned default/web to node-1");
    }

    @Test
    void discardingRecorderAcceptsAnything() {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").endMetadata().build();
        assertThatNoException().isThrownBy(() ->
                EventRecorder.discarding().event(pod, EventType.WARNING, "Failed", "%s %d", "x", 1));
    }
}
