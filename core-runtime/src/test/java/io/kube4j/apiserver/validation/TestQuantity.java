package io.kube4j.apiserver.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class TestQuantity {
    @Test
    void parsesKubeSuffixes() {
        assertThat(Quantity.parse("500m")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.5"));
        assertThat(Quantity.parse("1Gi")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1073741824"));
        assertThat(Quantity.parse("1G")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1000000000"));
        assertThat(Quantity.parse("1e3")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1000"));
        assertThat(Quantity.parse(".5")).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.5"));
        assertThat(Quantity.parse("-1")).hasValueSatisfying(v -> assertThat(v.signum()).isNegative());
        assertThat(Quantity.parse("12")).hasValue(new BigDecimal("12"));
    }

    @Test
    void rejectsWhatKubeRejects() {
        assertThat(Quantity.parse("")).isEmpty();
        assertThat(Quantity.parse("lots")).isEmpty();
        assertThat(Quantity.parse("1GB")).isEmpty();
        assertThat(Quantity.parse("1.2.3")).isEmpty();
    }
}
