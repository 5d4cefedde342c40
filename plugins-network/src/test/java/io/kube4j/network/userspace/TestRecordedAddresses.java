package io.kube4j.network.userspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRecordedAddresses {
    @TempDir
    Path dir;

    /** What was asked of the interface, in order. */
    private final List<String> calls = new ArrayList<>();

    private final LocalAddresses iface = new LocalAddresses() {
        @Override
        public void add(String ip) {
            calls.add("add " + ip);
        }

        @Override
        public void remove(String ip) {
            calls.add("remove " + ip);
        }

        @Override
        public void close() {
            calls.add("close");
        }
    };

    @Test
    void aCrashedRunsAddressesAreRemovedByTheNext() throws Exception {
        Path file = dir.resolve("proxy/node-1/userspace-cluster-ips");
        RecordedAddresses first = RecordedAddresses.open(iface, file);
        first.add("10.96.0.1");
        first.add("10.96.0.10");
        first.add("10.96.0.20");
        first.remove("10.96.0.20");
        assertThat(Files.readAllLines(file)).containsExactly("10.96.0.1", "10.96.0.10");
        // killed: no close, no removal
        calls.clear();
        RecordedAddresses second = RecordedAddresses.open(iface, file);
        assertThat(calls).containsExactly("remove 10.96.0.1", "remove 10.96.0.10");
        assertThat(Files.readAllLines(file)).isEmpty();
        second.add("10.96.0.30");
        second.close();
        assertThat(calls).endsWith("add 10.96.0.30", "close");
    }

    @Test
    void availableIsTheInterfaces() {
        assertThat(RecordedAddresses.open(iface, dir.resolve("a")).available()).isTrue();
        assertThat(RecordedAddresses.open(LocalAddresses.UNAVAILABLE, dir.resolve("b")).available()).isFalse();
    }
}
