package io.kube4j.network.userspace;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives UDP datagrams on one address and forwards each client's to an endpoint its
 * {@link Balancer} chose for the client's first datagram, over a socket of the flow's own, whose
 * replies go back to the client from the service address. A flow ends after {@code idleTimeout}
 * without traffic. Datagrams for a port without usable endpoints are dropped.
 */
final class UdpListener implements Listener {
    private static final Logger log = LoggerFactory.getLogger(UdpListener.class);
    private static final int MAX_DATAGRAM = 65535;

    private final String name;
    private final Balancer balancer;
    private final long idleNanos;
    private final int idleMillis;
    private final DatagramSocket socket;
    private final Map<SocketAddress, Flow> flows = new ConcurrentHashMap<>();
    private volatile boolean closed;

    UdpListener(String name, InetSocketAddress address, Balancer balancer, Duration idleTimeout) {
        this.name = requireNonNull(name, "name is null");
        this.balancer = requireNonNull(balancer, "balancer is null");
        this.idleNanos = idleTimeout.toNanos();
        this.idleMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, idleTimeout.toMillis()));
        try {
            socket = new DatagramSocket(null);
            socket.setReuseAddress(true);
            socket.bind(address);
        } catch (IOException e) {
            throw new UncheckedIOException("userspace proxy: " + name + ": cannot listen on UDP " + address + ": "
                    + e.getMessage(), e);
        }
        Thread.ofVirtual().name("proxy-udp-" + address).start(this::receive);
    }

    /** A client's flow: its socket to the endpoint, and when it last carried a datagram. */
    private final class Flow {
        final SocketAddress client;
        final DatagramSocket upstream;
        volatile long lastActive = System.nanoTime();

        Flow(SocketAddress client, InetSocketAddress endpoint) throws IOException {
            this.client = client;
            this.upstream = new DatagramSocket();
            upstream.connect(endpoint);
            upstream.setSoTimeout(idleMillis);
        }

        void replies() {
            byte[] buffer = new byte[MAX_DATAGRAM];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                while (!closed) {
                    try {
                        upstream.receive(packet);
                    } catch (SocketTimeoutException e) {
                        if (System.nanoTime() - lastActive >= idleNanos) {
                            return;
                        }
                        continue;
                    }
                    lastActive = System.nanoTime();
                    socket.send(new DatagramPacket(buffer, packet.getLength(), client));
                    packet.setLength(buffer.length);
                }
            } catch (IOException e) {
                log.debug("userspace proxy: {}: UDP flow of {} ended: {}", name, client, e.toString());
            } finally {
                flows.remove(client, this);
                upstream.close();
            }
        }
    }

    private void receive() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
                SocketAddress client = packet.getSocketAddress();
                Flow flow = flows.get(client);
                if (flow == null) {
                    List<InetSocketAddress> endpoints = balancer.choose(packet.getAddress());
                    if (endpoints.isEmpty()) {
                        continue;
                    }
                    Flow created = new Flow(client, endpoints.getFirst());
                    flow = created;
                    flows.put(client, created);
                    Thread.ofVirtual().name("proxy-udp-flow").start(created::replies);
                }
                flow.lastActive = System.nanoTime();
                flow.upstream.send(new DatagramPacket(buffer, packet.getLength()));
            } catch (IOException e) {
                if (!closed) {
                    log.debug("userspace proxy: {}: UDP datagram not forwarded: {}", name, e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        for (Flow flow : flows.values()) {
            flow.upstream.close();
        }
        flows.clear();
    }
}
