package io.kube4j.api.node;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.plugin.PluginContext;
import java.nio.file.Path;

/** What a kubelet gives the runtime and network plugins of its node. Thread-safe. */
public interface NodeContext extends PluginContext {

    /** The node's name ({@code nodes[].name}). */
    String nodeName();

    /**
     * This node's own directory, under the cluster's data directory: sandboxes, container state,
     * logs and volumes go below it, so that several nodes can share one machine.
     */
    Path nodeDataDir();

    /** The API server, for plugins that need to read (the Node's {@code spec.podCIDR}, say). */
    ApiClient client();
}
