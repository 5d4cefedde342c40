package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.runtime.informer.InformerOptions;
import io.kube4j.runtime.informer.ListWatchInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the kubelets of one process share, so that a thousand nodes fit in one JVM beside the API
 * server: one API client, one pod informer (one watch) whose events go to the kubelet that
 * {@code spec.nodeName} names, and one log server per address for the nodes whose
 * {@code kubeletPort} is 0 (a log request names the pod, and the pod names its node), and one Service
 * informer for the containers' Service variables. Kubelets
 * join before {@link #start}; the host is closed after them, and closes the client.
 */
public final class KubeletHost implements AutoCloseable {
    /** How long a container's start waits for the Services to be read once. */
    static final java.time.Duration SERVICES_WAIT = java.time.Duration.ofSeconds(10);
    private final ApiClient client;
    private final ListWatchInformer<Pod> pods;
    private final java.util.Optional<String> onlyNode;
    /** This machine's resolver configuration, read once for all kubelets: what a pod's DNS policy builds on. */
    private final io.kube4j.api.node.DnsConfig hostDns = PodDns.readResolvConf(java.nio.file.Path.of("/etc/resolv.conf"));
    /** Every Service, for the containers' {@code <SVC>_SERVICE_HOST} variables. */
    private final ListWatchInformer<Service> services;
    private final Map<String, Kubelet> kubelets = new ConcurrentHashMap<>();
    private final Map<String, LogServer> logServers = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean started;
    private boolean closed;

    /** A host whose kubelets reach the API server through {@code client}, which it owns. */
    public KubeletHost(ApiClient client) {
        this(client, java.util.Optional.empty());
    }

    /**
     * A host for the kubelet of {@code onlyNode} alone, when present: its pod watch takes only that
     * node's pods (the field selector {@code spec.nodeName=<node>}, as a kubelet's own watch), instead
     * of every pod for the many nodes of one process.
     */
    public KubeletHost(ApiClient client, java.util.Optional<String> onlyNode) {
        this.client = requireNonNull(client, "client is null");
        this.onlyNode = requireNonNull(onlyNode, "onlyNode is null");
        this.pods = new ListWatchInformer<>(client, Pod.class, onlyNode
                .map(n -> InformerOptions.DEFAULT.withFieldSelector("spec.nodeName=" + n)).orElse(InformerOptions.DEFAULT));
        // No kubelet reads managedFields, and they are a third of a cached pod; a status update without them keeps them.
        pods.setTransform(pod -> {
            if (pod.getMetadata() != null) {
                pod.getMetadata().setManagedFields(null);
            }
            return pod;
        });
        this.services = new ListWatchInformer<>(client, Service.class, InformerOptions.DEFAULT);
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                kubeletOf(pod).ifPresent(k -> k.podChanged(pod));
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                kubeletOf(newPod).ifPresent(k -> k.podChanged(newPod));
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                kubeletOf(pod).ifPresent(k -> k.podDeleted(pod));
            }
        });
    }

    private java.util.Optional<Kubelet> kubeletOf(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null || node.isEmpty() ? java.util.Optional.empty() : java.util.Optional.ofNullable(kubelets.get(node));
    }

    ApiClient client() {
        return client;
    }

    /**
     * Every Service, once the cache has been filled (waiting for that up to {@link #SERVICES_WAIT}); empty
     * if it has not been by then.
     */
    java.util.Optional<List<Service>> services() {
        try {
            if (!services.hasSynced() && !services.waitForSync(SERVICES_WAIT)) {
                return java.util.Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(services.lister().list());
    }

    /** This machine's /etc/resolv.conf, as read when the host was made. */
    io.kube4j.api.node.DnsConfig hostDns() {
        return hostDns;
    }

    /** The shared cache of every pod. */
    ListWatchInformer<Pod> pods() {
        return pods;
    }

    void join(Kubelet kubelet) {
        lock.lock();
        try {
            if (started || closed) {
                throw new IllegalStateException("kubelet of " + kubelet.nodeName() + " joins a host that "
                        + (closed ? "is closed" : "has started"));
            }
            if (onlyNode.isPresent() && !onlyNode.get().equals(kubelet.nodeName())) {
                throw new IllegalStateException("kubelet of " + kubelet.nodeName() + " joins the host of node " + onlyNode.get());
            }
            if (kubelets.putIfAbsent(kubelet.nodeName(), kubelet) != null) {
                throw new IllegalStateException("two kubelets of node " + kubelet.nodeName());
            }
        } finally {
            lock.unlock();
        }
    }

    void leave(Kubelet kubelet) {
        kubelets.remove(kubelet.nodeName(), kubelet);
    }

    /**
     * The log server on {@code address}:{@code port}: one for every kubelet of the host on that
     * address when {@code port} is 0, else the node's own.
     */
    LogServer logServer(String address, int port) {
        String key = address + ":" + port;
        return logServers.computeIfAbsent(key, k -> new LogServer(address, port, this::findLog,
                node -> summary(key, node), port == 0 ? address : key));
    }

    private byte[] summary(String server, java.util.Optional<String> node) throws LogServer.NotFound {
        List<Kubelet> here = kubelets.values().stream().filter(k -> k.endpoint().equals(server))
                .filter(k -> node.isEmpty() || k.nodeName().equals(node.get())).toList();
        if (here.size() == 1) {
            return here.getFirst().statsSummary();
        }
        if (here.isEmpty()) {
            throw new LogServer.NotFound(404, "node " + node.orElse("") + " is not served here");
        }
        throw new LogServer.NotFound(400, "nodes " + here.stream().map(Kubelet::nodeName).sorted().toList()
                + " share this endpoint: name one in the " + LogServer.NODE_HEADER + " header");
    }

    private LogServer.Target findLog(String namespace, String name, String container, boolean previous)
            throws LogServer.NotFound {
        Pod pod = pods.lister().get(namespace, name).orElseThrow(() ->
                new LogServer.NotFound(404, "pod \"" + name + "\" not found"));
        Kubelet kubelet = kubeletOf(pod).orElseThrow(() ->
                new LogServer.NotFound(404, "pod \"" + name + "\" is not on a node of this kubelet"));
        return kubelet.findLog(pod, container, previous);
    }

    /** Starts the pod watch: each kubelet that joined gets its pods. Never blocks. */
    public void start() {
        lock.lock();
        try {
            if (started || closed) {
                return;
            }
            started = true;
        } finally {
            lock.unlock();
        }
        services.start();
        pods.start();
    }

    /** The kubelets that joined, by node name. */
    public List<Kubelet> kubelets() {
        return new ArrayList<>(kubelets.values());
    }

    /** Stops the watch and the log servers, and closes the client; the kubelets are closed before. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        try {
            pods.close();
            services.close();
            logServers.values().forEach(LogServer::close);
        } finally {
            client.close();
        }
    }
}
