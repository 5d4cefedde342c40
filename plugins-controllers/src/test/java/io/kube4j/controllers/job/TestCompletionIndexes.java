package io.kube4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TestCompletionIndexes {

    @Test
    void runsOfConsecutiveIndexesAreWrittenAsRanges() {
        assertThat(CompletionIndexes.format(new TreeSet<>(java.util.List.of(7, 1, 3, 4, 5)))).isEqualTo("1,3-5,7");
        assertThat(CompletionIndexes.format(new TreeSet<>(java.util.List.of(0)))).isEqualTo("0");
        assertThat(CompletionIndexes.format(new TreeSet<>())).isNull();
    }

    @Test
    void parsingReadsRangesKeepsBelowCompletionsAndSkipsWhatItCannotRead() {
        assertThat(CompletionIndexes.parse("1,3-5,7", 10)).containsExactly(1, 3, 4, 5, 7);
        assertThat(CompletionIndexes.parse("1,3-5,7", 5)).containsExactly(1, 3, 4);
        assertThat(CompletionIndexes.parse("x,2", 5)).containsExactly(2);
        assertThat(CompletionIndexes.parse(null, 5)).isEmpty();
        assertThat(CompletionIndexes.format(CompletionIndexes.parse("0-2,4", 5))).isEqualTo("0-2,4");
    }

    @Test
    void aPodsIndexComesFromItsAnnotationElseItsLabel() {
        assertThat(CompletionIndexes.of(Map.of(CompletionIndexes.KEY, "3"), Map.of(CompletionIndexes.KEY, "4"))).contains(3);
        assertThat(CompletionIndexes.of(null, Map.of(CompletionIndexes.KEY, "4"))).contains(4);
        assertThat(CompletionIndexes.of(Map.of(CompletionIndexes.KEY, "x"), null)).isEmpty();
    }
}
