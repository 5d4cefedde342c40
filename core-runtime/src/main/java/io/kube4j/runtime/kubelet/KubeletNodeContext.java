package io.kube4j.runtime.kubelet;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.node.NodeContext;
import java.nio.file.Path;
import java.time.Clock;

/** What the kubelet gives its runtime and network plugins. */
record KubeletNodeContext(String nodeName, Path nodeDataDir, ApiClient client, Path dataDir, Clock clock)
        implements NodeContext {
}
