package io.kube4j.api.proxy;

import io.kube4j.api.client.ApiClient;
import io.kube4j.api.plugin.PluginContext;
import java.util.List;

/** What the proxy host gives its proxy mode. Thread-safe. */
public interface ProxyContext extends PluginContext {

    /** The node this proxy serves: LOCAL traffic policies keep traffic on its endpoints. */
    String nodeName();

    /** The node's addresses, primary first; node ports listen on them. */
    List<String> nodeIps();

    /** The API server, for modes that need more than the state (none of the built-in ones do). */
    ApiClient client();
}
