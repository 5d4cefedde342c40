package io.kube4j.apiserver.allocation;

import io.kube4j.api.storage.Store;
import io.kube4j.api.storage.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out Service cluster IPs from a CIDR (10.96.0.0/12 by default) so that no two Services
 * hold one at once, even when several API servers share the store. The first usable address is
 * reserved for the {@code default/kubernetes} Service.
 *
 * <p>The store decides, as kube-apiserver's IPAddress allocator (1.31+) does with one object per
 * address: an address is taken by creating the key {@code /registry/ipaddresses/<ip>}, whose value
 * names the Service holding it, and freed by deleting that key. A create that finds the key
 * already there lost the address to another Service (perhaps through another API server). The
 * in-memory bitmap only suggests which addresses are likely free.
 */
public final class ClusterIpAllocator {
    static final String KEY_PREFIX = "/registry/ipaddresses/";

    private final long base;
    private final int size;
    private final BitSet used;
    private final ReentrantLock lock = new ReentrantLock();
    private final String cidr;
    private final Optional<Store> store;

    /** An allocator that keeps its addresses in memory only (one API server, or tests). */
    public ClusterIpAllocator(String cidr) {
        this(cidr, Optional.empty());
    }

    /** An allocator whose addresses are held in {@code store}, shared by every API server on it. */
    public ClusterIpAllocator(String cidr, Optional<Store> store) {
        this.store = store;
        this.cidr = cidr;
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("service CIDR must look like 10.96.0.0/12: " + cidr);
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("service CIDR prefix must be between /8 and /30: " + cidr);
        }
        long network = toLong(parts[0]) & (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        this.base = network;
        this.size = 1 << (32 - prefix);
        this.used = new BitSet(size);
        used.set(0); // network address
        used.set(size - 1); // broadcast address
    }

    public String cidr() {
        return cidr;
    }

    /** The address of the {@code default/kubernetes} Service: the first usable one. */
    public String kubernetesServiceIp() {
        return toString(base + 1);
    }

    /** Whether {@code ip} is an IPv4 address of the range (false for anything else: None, IPv6). */
    public boolean contains(String ip) {
        if (!ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return false;
        }
        long v = toLong(ip);
        return v >= base && v < base + size;
    }

    /**
     * Takes {@code ip} for the Service {@code owner} ({@code namespace/name}); false if another
     * Service holds it. Taking an address the same Service already holds is a success (a retried
     * create, or the bootstrap of {@code default/kubernetes} on a second API server).
     */
    public boolean reserve(String ip, String owner) {
        int i = index(ip);
        lock.lock();
        try {
            if (used.get(i) && store.isEmpty()) {
                return false;
            }
            used.set(i);
        } finally {
            lock.unlock();
        }
        return store.map(s -> claim(s, ip, owner)).orElse(true);
    }

    /** A free address, taken for {@code owner}; throws when the range is full. */
    public String allocate(String owner) {
        for (int attempt = 0; attempt < size; attempt++) {
            String ip = pickFree();
            if (store.isEmpty() || claim(store.get(), ip, owner)) {
                return ip;
            }
            // another API server took it: the bit stays set, try the next
        }
        throw new IllegalStateException("range is full");
    }

    private String pickFree() {
        lock.lock();
        try {
            int start = 2 + ThreadLocalRandom.current().nextInt(size - 3);
            int i = used.nextClearBit(start);
            if (i >= size - 1) {
                i = used.nextClearBit(2);
            }
            if (i >= size - 1) {
                throw new IllegalStateException("range is full");
            }
            used.set(i);
            return toString(base + i);
        } finally {
            lock.unlock();
        }
    }

    /** Creates the address's key for {@code owner}; true if it is now {@code owner}'s. */
    private static boolean claim(Store s, String ip, String owner) {
        WriteResult r = s.create(KEY_PREFIX + ip, owner.getBytes(StandardCharsets.UTF_8));
        return r instanceof WriteResult.Written
                || (r instanceof WriteResult.AlreadyExists e && owner.equals(new String(e.current().value(), StandardCharsets.UTF_8)));
    }

    /** Frees {@code ip} if {@code owner} holds it. */
    public void release(String ip, String owner) {
        if (!contains(ip)) {
            return;
        }
        int i = index(ip);
        if (i == 0 || i == size - 1) {
            return;
        }
        store.ifPresent(s -> s.get(KEY_PREFIX + ip)
                .filter(kv -> owner.equals(new String(kv.value(), StandardCharsets.UTF_8)))
                .ifPresent(kv -> s.delete(KEY_PREFIX + ip, kv.modRevision())));
        lock.lock();
        try {
            used.clear(i);
        } finally {
            lock.unlock();
        }
    }

    private int index(String ip) {
        if (!contains(ip)) {
            throw new IllegalArgumentException("the provided IP (" + ip + ") is not in the valid range. The range of valid IPs is " + cidr);
        }
        return (int) (toLong(ip) - base);
    }

    static long toLong(String ip) {
        if (!ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip, e);
        }
    }

    static String toString(long v) {
        return ((v >> 24) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + (v & 0xFF);
    }
}
