package io.kube4j.api.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TestClusterEvent {

    @Test
    void genericUpdateMatchesEverySpecificUpdate() {
        ClusterEvent registered = ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD, ActionType.UPDATE);
        assertThat(registered.matches(ClusterEvent.of(ClusterEvent.NODE, ActionType.UPDATE_NODE_TAINT))).isTrue();
        assertThat(registered.matches(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD))).isTrue();
        assertThat(registered.matches(ClusterEvent.of(ClusterEvent.NODE, ActionType.DELETE))).isFalse();
    }

    @Test
    void aSpecificUpdateMatchesOnlyItselfOrAGenericReport() {
        ClusterEvent registered = ClusterEvent.of(ClusterEvent.NODE, ActionType.UPDATE_NODE_ALLOCATABLE);
        assertThat(registered.matches(ClusterEvent.of(ClusterEvent.NODE, ActionType.UPDATE_NODE_LABEL))).isFalse();
        assertThat(registered.matches(ClusterEvent.of(ClusterEvent.NODE, ActionType.UPDATE))).isTrue();
    }

    @Test
    void resourcesMustMatchUnlessWildcard() {
        ClusterEvent podDeleted = ClusterEvent.of(ClusterEvent.POD, ActionType.DELETE);
        assertThat(ClusterEvent.of(ClusterEvent.NODE, ActionType.DELETE).matches(podDeleted)).isFalse();
        assertThat(new ClusterEvent(ClusterEvent.WILDCARD, ActionType.all()).matches(podDeleted)).isTrue();
    }

    @Test
    void anEventNeedsAResourceAndAnAction() {
        assertThatThrownBy(() -> new ClusterEvent("", Set.of(ActionType.ADD))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClusterEvent(ClusterEvent.POD, Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEventWithoutAFunctionRetriesEveryPod() {
        ClusterEventWithHint registration = ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.POD, ActionType.DELETE));
        assertThat(registration.hint().hint(Fixtures.pod("web", "1", 0), java.util.Optional.empty(), java.util.Optional.empty()))
                .isEqualTo(QueueingHint.QUEUE);
    }
}
