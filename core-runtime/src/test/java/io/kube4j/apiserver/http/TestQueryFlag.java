package io.kube4j.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.Test;

class TestQueryFlag {
    @Test
    void trueInAnySpellingOfEveryClient() {
        for (String v : new String[] {"true", "True", "TRUE", "1", "t", ""}) {
            assertThat(QueryFlag.isSet(query("watch", v), "watch")).as(v).isTrue();
        }
    }

    @Test
    void falseWhenAbsentZeroOrFalse() {
        assertThat(QueryFlag.isSet(new Fields(), "watch")).isFalse();
        for (String v : new String[] {"false", "False", "FALSE", "0"}) {
            assertThat(QueryFlag.isSet(query("watch", v), "watch")).as(v).isFalse();
        }
    }

    private static Fields query(String name, String value) {
        Fields f = new Fields();
        f.put(name, value);
        return f;
    }
}
