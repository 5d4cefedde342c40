package io.kube4j.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestWatchStreamer {
    @Test
    void onlyClientsThatWaitForAChunksEndGetTheReleasingSpace() {
        assertThat(WatchStreamer.waitsForChunkEnd("OpenAPI-Generator/31.0.0/python")).isTrue();
        assertThat(WatchStreamer.waitsForChunkEnd("python-requests/2.28.1")).isTrue();
        assertThat(WatchStreamer.waitsForChunkEnd(null)).isTrue();
        assertThat(WatchStreamer.waitsForChunkEnd("")).isTrue();

        assertThat(WatchStreamer.waitsForChunkEnd("kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9")).isFalse();
        assertThat(WatchStreamer.waitsForChunkEnd("Java-http-client/25.0.3")).isFalse();
        assertThat(WatchStreamer.waitsForChunkEnd("fabric8-kubernetes-client/7.4.0")).isFalse();
        assertThat(WatchStreamer.waitsForChunkEnd("curl/7.88.1")).isFalse();
    }
}
