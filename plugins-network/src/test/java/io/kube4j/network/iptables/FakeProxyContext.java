package io.kube4j.network.iptables;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.proxy.ProxyContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A proxy context for tests: a node name and addresses; no API server, which this mode never calls. */
record FakeProxyContext(String nodeName, List<String> nodeIps) implements ProxyContext {

    @Override
    public ApiClient client() {
        throw new UnsupportedOperationException("the iptables mode needs no API client");
    }

    @Override
    public Path dataDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }
}
