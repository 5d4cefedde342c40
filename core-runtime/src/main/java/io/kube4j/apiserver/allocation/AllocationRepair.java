package io.kube4j.apiserver.allocation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.api.storage.KeyValue;
import io.kube4j.api.storage.RangeRequest;
import io.kube4j.api.storage.RangeResult;
import io.kube4j.api.storage.Store;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-apiserver's service IP and node port repair controllers: compares the addresses held in
 * the store with the Services there are. An address no Service holds (a leak: an API server that
 * died between taking an address and writing its Service, or a delete that did not free it) is
 * freed, but only once it has been seen leaked, unchanged, by two runs in a row, so that a create
 * in flight (address taken, Service not written yet) is never robbed. A Service whose address is
 * not held in the store (data from before addresses were kept there, or a lost key) gets it back,
 * with a warning; one whose address another Service holds is reported as an error.
 *
 * <p>Runs once when started and then every {@code interval} on a virtual thread; {@link #runOnce}
 * may also be called directly. Not safe to run twice at once; {@link #runOnce} is called by one
 * thread at a time.
 */
public final class AllocationRepair implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AllocationRepair.class);

    /** What one run found and did; each entry names the address and the Service ({@code 10.96.0.5 default/web}). */
    public record Report(List<String> leaksFreed, List<String> leaksPending, List<String> missingRepaired,
                         List<String> conflicts) {
        public Report {
            leaksFreed = List.copyOf(leaksFreed);
            leaksPending = List.copyOf(leaksPending);
            missingRepaired = List.copyOf(missingRepaired);
            conflicts = List.copyOf(conflicts);
        }
    }

    private final Store store;
    private final ClusterIpAllocator clusterIps;
    private final NodePortAllocator nodePorts;
    private final Supplier<Collection<JsonNode>> services;
    /** Leaked key → its mod revision, from the last run. */
    private Map<String, Long> suspected = new HashMap<>();
    private volatile Thread loop;

    /** {@code services} lists the Services there are now (the API server's watch cache). */
    public AllocationRepair(Store store, ClusterIpAllocator clusterIps, NodePortAllocator nodePorts,
                            Supplier<Collection<JsonNode>> services) {
        this.store = requireNonNull(store, "store is null");
        this.clusterIps = requireNonNull(clusterIps, "clusterIps is null");
        this.nodePorts = requireNonNull(nodePorts, "nodePorts is null");
        this.services = requireNonNull(services, "services is null");
    }

    /** Runs now and then every {@code interval} until closed. */
    public void start(Duration interval) {
        loop = Thread.ofVirtual().name("apiserver-allocation-repair").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    runOnce();
                } catch (RuntimeException e) {
                    log.warn("service address repair failed; trying again in {}", interval, e);
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** One pass over the cluster IPs and node ports. */
    public Report runOnce() {
        Map<String, String> ipOwners = new HashMap<>();
        Map<String, String> portOwners = new HashMap<>();
        List<String> conflicts = new ArrayList<>();
        for (JsonNode svc : services.get()) {
            String owner = svc.path("metadata").path("namespace").asText() + "/" + svc.path("metadata").path("name").asText();
            JsonNode spec = svc.path("spec");
            String ip = spec.path("clusterIP").asText("");
            if (!ip.isEmpty() && !ip.equals("None") && !spec.path("type").asText("").equals("ExternalName")) {
                String other = ipOwners.putIfAbsent(ip, owner);
                if (other != null && !other.equals(owner)) {
                    conflicts.add(ip + " " + owner + " " + other);
                }
            }
            for (int port : NodePortAllocator.nodePorts(svc)) {
                String other = portOwners.putIfAbsent(Integer.toString(port), owner);
                if (other != null && !other.equals(owner)) {
                    conflicts.add(port + " " + owner + " " + other);
                }
            }
        }
        Map<String, Long> nextSuspected = new HashMap<>();
        List<String> freed = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> repaired = new ArrayList<>();
        Map<String, String> heldIps = held(ClusterIpAllocator.KEY_PREFIX);
        Map<String, String> heldPorts = held(NodePortAllocator.KEY_PREFIX);
        sweep(ClusterIpAllocator.KEY_PREFIX, ipOwners, nextSuspected, freed, pending,
                (ip, owner) -> clusterIps.release(ip, owner));
        sweep(NodePortAllocator.KEY_PREFIX, portOwners, nextSuspected, freed, pending,
                (port, owner) -> nodePorts.release(Integer.parseInt(port), owner));
        ipOwners.forEach((ip, owner) -> {
            if (!owner.equals(heldIps.get(ip)) && clusterIps.contains(ip)) {
                if (clusterIps.reserve(ip, owner)) {
                    repaired.add(ip + " " + owner);
                    log.warn("the cluster IP {} of Service {} was not allocated; repaired", ip, owner);
                } else {
                    conflicts.add(ip + " " + owner + " " + heldIps.get(ip));
                }
            }
        });
        portOwners.forEach((port, owner) -> {
            int p = Integer.parseInt(port);
            if (!owner.equals(heldPorts.get(port)) && nodePorts.contains(p)) {
                if (nodePorts.reserve(p, owner)) {
                    repaired.add(port + " " + owner);
                    log.warn("the node port {} of Service {} was not allocated; repaired", port, owner);
                } else {
                    conflicts.add(port + " " + owner + " " + heldPorts.get(port));
                }
            }
        });
        for (String c : conflicts) {
            log.error("service address allocated to more than one Service (address, Service, holder): {}", c);
        }
        suspected = nextSuspected;
        return new Report(freed, pending, repaired, conflicts);
    }

    private interface Release {
        void release(String address, String owner);
    }

    private void sweep(String prefix, Map<String, String> owners, Map<String, Long> nextSuspected, List<String> freed,
                       List<String> pending, Release release) {
        for (KeyValue kv : range(prefix)) {
            String address = kv.key().substring(prefix.length());
            String holder = new String(kv.value(), StandardCharsets.UTF_8);
            if (holder.equals(owners.get(address))) {
                continue;
            }
            Long seen = suspected.get(kv.key());
            if (seen != null && seen == kv.modRevision()) {
                release.release(address, holder);
                freed.add(address + " " + holder);
                log.info("freed the leaked service address {} (held for {}, which does not have it)", address, holder);
            } else {
                nextSuspected.put(kv.key(), kv.modRevision());
                pending.add(address + " " + holder);
            }
        }
    }

    private Map<String, String> held(String prefix) {
        Map<String, String> out = new HashMap<>();
        for (KeyValue kv : range(prefix)) {
            out.put(kv.key().substring(prefix.length()), new String(kv.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<KeyValue> range(String prefix) {
        List<KeyValue> out = new ArrayList<>();
        String start = "";
        while (true) {
            RangeResult r = store.range(new RangeRequest(prefix, start, 1000, 0));
            out.addAll(r.kvs());
            if (!r.more() || r.kvs().isEmpty()) {
                return out;
            }
            start = r.kvs().get(r.kvs().size() - 1).key() + "\0";
        }
    }

    @Override
    public void close() {
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
    }
}
