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
    void canonicalFormsAreKubes() {
        assertThat(Quantity.canonical("1000m")).hasValue("1");
        assertThat(Quantity.canonical("0.5")).hasValue("500m");
        assertThat(Quantity.canonical("1500m")).hasValue("1500m");
        assertThat(Quantity.canonical("100m")).hasValue("100m");
        assertThat(Quantity.canonical("2")).hasValue("2");
        assertThat(Quantity.canonical("1000000")).hasValue("1M");
        assertThat(Quantity.canonical("128974848")).hasValue("128974848");
        assertThat(Quantity.canonical("100M")).hasValue("100M");
        assertThat(Quantity.canonical("1e3")).hasValue("1e3");
        assertThat(Quantity.canonical("2Gi")).hasValue("2Gi");
        assertThat(Quantity.canonical("1024Mi")).hasValue("1Gi");
        assertThat(Quantity.canonical("1.5Gi")).hasValue("1536Mi");
        assertThat(Quantity.canonical("0.5Gi")).hasValue("512Mi");
        assertThat(Quantity.canonical("1.5Ki")).hasValue("1536");
        assertThat(Quantity.canonical("0.5Ki")).hasValue("512");
        assertThat(Quantity.canonical("0.1m")).as("rounded up to a thousandth").hasValue("1m");
        assertThat(Quantity.canonical("0")).hasValue("0");
        assertThat(Quantity.canonical("-1500m")).hasValue("-1500m");
        assertThat(Quantity.canonical("lots")).isEmpty();
    }

    @Test
    void rejectsWhatKubeRejects() {
        assertThat(Quantity.parse("")).isEmpty();
        assertThat(Quantity.parse("lots")).isEmpty();
        assertThat(Quantity.parse("1GB")).isEmpty();
        assertThat(Quantity.parse("1.2.3")).isEmpty();
    }
}
