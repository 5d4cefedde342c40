package io.kube4j.scheduler.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestSelector {
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

    @Test
    void absentSelectsNothingAndEmptyEverything() {
        assertThat(Selector.parse(null).matches(WEB)).isFalse();
        assertThat(Selector.parse(null).isEverything()).isFalse();
        assertThat(Selector.parse(new LabelSelector()).matches(WEB)).isTrue();
        assertThat(Selector.parse(new LabelSelector()).matches(null)).isTrue();
        assertThat(Selector.parse(new LabelSelector()).isEverything()).isTrue();
        assertThat(Selector.NOTHING.and(List.of(new Selector.Requirement("app", Selector.Operator.EXISTS, Set.of()))).matches(WEB))
                .isFalse();
    }

    @Test
    void requirementsAreAnded() {
        assertThat(parse("app", "In", "web", "api").matches(WEB)).isTrue();
        assertThat(parse("app", "In", "api").matches(WEB)).isFalse();
        assertThat(parse("app", "NotIn", "api").matches(WEB)).isTrue();
        assertThat(parse("missing", "NotIn", "api").matches(WEB)).isTrue();
        assertThat(parse("tier", "Exists").matches(WEB)).isTrue();
        assertThat(parse("tier", "DoesNotExist").matches(WEB)).isFalse();
        LabelSelector both = new LabelSelectorBuilder().addToMatchLabels("app", "web").addNewMatchExpression().withKey("tier")
                .withOperator("In").withValues("back").endMatchExpression().build();
        assertThat(Selector.parse(both).matches(WEB)).isFalse();
        assertThat(Selector.of(Map.of("app", "web")).matches(WEB)).isTrue();
        assertThat(Selector.of(Map.of()).isEverything()).isTrue();
    }

    @Test
    void invalidExpressionsAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> parse("app", "In")).hasMessageContaining("app");
        assertThatThrownBy(() -> parse("app", "Exists", "x")).hasMessageContaining("app");
        assertThatThrownBy(() -> parse("app", "Gt", "1")).hasMessageContaining("Gt");
    }

    private static Selector parse(String key, String operator, String... values) {
        return Selector.parse(new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator)
                .withValues(values).endMatchExpression().build());
    }
}
