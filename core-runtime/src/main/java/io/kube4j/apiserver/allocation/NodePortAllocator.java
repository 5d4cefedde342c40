package io.kube4j.apiserver.allocation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out Service node ports from a range (30000-32767 by default, kube-apiserver's
 * {@code --service-node-port-range}) so that no two Services hold one at once, even when several
 * API servers share the store.
 *
 * <p>As with {@link ClusterIpAllocator}, the store decides: a port is taken by creating the key
 * {@code /registry/servicenodeports/<port>} whose value names the Service ({@code namespace/name})
 * holding it, and freed by deleting that key. (kube-apiserver keeps one bitmap object at
 * {@code /registry/ranges/servicenodeports} instead; a key per port lets a create on the store be
 * the only arbiter, with no read-modify-write of a shared bitmap.) The prefix is not under
 * {@code /registry/services/}, so no list of Services ever sees these keys. One Service may claim
 * a port it already holds, which is how a port used by both TCP and UDP in one Service is kept.
 */
public final class NodePortAllocator {
    static final String KEY_PREFIX = "/registry/servicenodeports/";
    public static final int DEFAULT_FIRST = 30000;
    public static final int DEFAULT_LAST = 32767;

    private final int first;
    private final int last;
    private final Optional<Store> store;
    private final Map<Integer, String> owners = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    /** An allocator of {@code first..last} (inclusive) whose ports are held in {@code store} when there is one. */
    public NodePortAllocator(int first, int last, Optional<Store> store) {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("node port range must be within 1-65535: " + first + "-" + last);
        }
        this.first = first;
        this.last = last;
        this.store = requireNonNull(store, "store is null");
    }

    /** The range as kube-apiserver prints it: {@code 30000-32767}. */
    public String range() {
        return first + "-" + last;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    /**
     * Takes {@code port} for the Service {@code owner}; false if another Service holds it. Taking a
     * port {@code owner} already holds is a success.
     *
     * @throws IllegalArgumentException if the port is outside the range, with kube-apiserver's words
     */
    public boolean reserve(int port, String owner) {
        if (!contains(port)) {
            throw new IllegalArgumentException("provided port is not in the valid range. The range of valid ports is "
                    + range());
        }
        lock.lock();
        try {
            String holder = owners.get(port);
            if (holder != null && !holder.equals(owner) && store.isEmpty()) {
                return false;
            }
            owners.put(port, owner);
        } finally {
            lock.unlock();
        }
        if (store.isEmpty() || claim(store.get(), port, owner)) {
            return true;
        }
        forget(port, owner);
        return false;
    }

    /** A free port, taken for {@code owner}. */
    public int allocate(String owner) {
        int size = last - first + 1;
        for (int attempt = 0; attempt < size; attempt++) {
            int port = pickFree(owner);
            if (store.isEmpty() || claim(store.get(), port, owner)) {
                return port;
            }
            // another API server took it since: remember it as taken and try another
            lock.lock();
            try {
                owners.put(port, "");
            } finally {
                lock.unlock();
            }
        }
        throw new IllegalStateException("range is full");
    }

    private int pickFree(String owner) {
        int size = last - first + 1;
        lock.lock();
        try {
            int start = ThreadLocalRandom.current().nextInt(size);
            for (int i = 0; i < size; i++) {
                int port = first + (start + i) % size;
                if (!owners.containsKey(port)) {
                    owners.put(port, owner);
                    return port;
                }
            }
            throw new IllegalStateException("range is full");
        } finally {
            lock.unlock();
        }
    }

    private static boolean claim(Store s, int port, String owner) {
        WriteResult r = s.create(KEY_PREFIX + port, owner.getBytes(StandardCharsets.UTF_8));
        return r instanceof WriteResult.Written
                || (r instanceof WriteResult.AlreadyExists e && owner.equals(new String(e.current().value(), StandardCharsets.UTF_8)));
    }

    /** Frees {@code port} if {@code owner} holds it; a no-op otherwise. */
    public void release(int port, String owner) {
        if (!contains(port)) {
            return;
        }
        store.ifPresent(s -> s.get(KEY_PREFIX + port)
                .filter(kv -> owner.equals(new String(kv.value(), StandardCharsets.UTF_8)))
                .ifPresent(kv -> s.delete(KEY_PREFIX + port, kv.modRevision())));
        forget(port, owner);
    }

    private void forget(int port, String owner) {
        lock.lock();
        try {
            owners.remove(port, owner);
            owners.remove(port, "");
        } finally {
            lock.unlock();
        }
    }

    /** Whether a Service spec of this type gets node ports (NodePort; LoadBalancer unless allocateLoadBalancerNodePorts is false). */
    public static boolean needsNodePorts(JsonNode spec) {
        String type = spec.path("type").asText("ClusterIP");
        return type.equals("NodePort")
                || (type.equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
    }

    /** The node ports a Service's ports name. */
    public static Set<Integer> nodePorts(JsonNode svc) {
        Set<Integer> out = new LinkedHashSet<>();
        for (JsonNode p : svc.path("spec").path("ports")) {
            int n = p.path("nodePort").asInt(0);
            if (n != 0) {
                out.add(n);
            }
        }
        return out;
    }

    /** A port the allocator cannot give: the field and value for a 422, in kube-apiserver's words. */
    public static final class PortUnavailableException extends RuntimeException {
        private final String field;
        private final int port;

        PortUnavailableException(String field, int port, String detail) {
            super(detail);
            this.field = field;
            this.port = port;
        }

        /** e.g. {@code spec.ports[0].nodePort} */
        public String field() {
            return field;
        }

        public int port() {
            return port;
        }
    }

    /**
     * Gives every port of {@code svc} that needs one a node port, as kube-apiserver's service REST
     * does: a requested {@code nodePort} is taken (unless {@code held} by this Service already), a
     * missing one is allocated, and ports that share a port number (TCP and UDP) share a node port.
     * Writes the chosen ports into {@code svc}. Returns the ports newly taken, which the caller
     * releases if the write does not happen. On failure, releases what it took and throws.
     *
     * @throws PortUnavailableException a requested port is out of range or held by another Service
     */
    public List<Integer> allocateFor(ObjectNode svc, Set<Integer> held, String owner) {
        List<Integer> taken = new ArrayList<>();
        if (!needsNodePorts(svc.path("spec"))) {
            return taken;
        }
        Map<Integer, Integer> byServicePort = new HashMap<>();
        JsonNode ports = svc.path("spec").path("ports");
        try {
            for (int i = 0; i < ports.size(); i++) {
                if (ports.get(i).path("nodePort").asInt(0) != 0) {
                    int n = ports.get(i).path("nodePort").asInt();
                    byServicePort.putIfAbsent(ports.get(i).path("port").asInt(), n);
                    if (held.contains(n) || taken.contains(n)) {
                        continue;
                    }
                    String field = "spec.ports[" + i + "].nodePort";
                    try {
                        if (!reserve(n, owner)) {
                            throw new PortUnavailableException(field, n, "provided port is already allocated");
                        }
                    } catch (IllegalArgumentException e) {
                        throw new PortUnavailableException(field, n, e.getMessage());
                    }
                    taken.add(n);
                }
            }
            for (int i = 0; i < ports.size(); i++) {
                if (ports.get(i) instanceof ObjectNode p && p.path("nodePort").asInt(0) == 0) {
                    Integer shared = byServicePort.get(p.path("port").asInt());
                    if (shared == null) {
                        shared = allocate(owner);
                        taken.add(shared);
                        byServicePort.put(p.path("port").asInt(), shared);
                    }
                    p.put("nodePort", shared);
                }
            }
            return taken;
        } catch (RuntimeException e) {
            taken.forEach(n -> release(n, owner));
            throw e;
        }
    }
}
