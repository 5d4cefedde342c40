package io.kube4j.apiserver.allocation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out Service cluster IPs from a CIDR (10.96.0.0/12 by default) so that no two Services
 * hold one at once. The first usable address is reserved for the {@code default/kubernetes}
 * Service. The set of used addresses is rebuilt from the stored Services at start, so it
 * survives restarts with the objects themselves.
 */
public final class ClusterIpAllocator {
    private final long base;
    private final int size;
    private final BitSet used;
    private final ReentrantLock lock = new ReentrantLock();
    private final String cidr;

    public ClusterIpAllocator(String cidr) {
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

    public boolean contains(String ip) {
        long v = toLong(ip);
        return v >= base && v < base + size;
    }

    /** Marks an address as taken (at start, from stored Services); false if it was already. */
    public boolean reserve(String ip) {
        int i = index(ip);
        lock.lock();
        try {
            if (used.get(i)) {
                return false;
            }
            used.set(i);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A free address, taken; throws when the range is full. */
    public String allocate() {
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

    public void release(String ip) {
        if (!contains(ip)) {
            return;
        }
        int i = index(ip);
        if (i == 0 || i == size - 1) {
            return;
        }
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
