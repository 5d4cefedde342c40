package io.kube4j.network.dns;

import static java.util.Objects.requireNonNull;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The DNS server on one address and port, UDP and TCP (RFC 1035 and 7766). UDP queries are read by
 * a few platform threads that answer cluster names themselves (no I/O, no locks) and hand names to
 * forward to virtual threads; each TCP connection gets a virtual thread that answers its queries in
 * turn and closes after 10 idle seconds. Answers that do not fit a UDP response (512 bytes, or the
 * query's EDNS size) are truncated with TC set, so the client retries over TCP.
 */
final class DnsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    private static final int TCP_IDLE_MILLIS = 10_000;

    private final ClusterResolver resolver;
    private final Forwarder forwarder;
    private final DatagramChannel udp;
    private final ServerSocket tcp;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Binds UDP and TCP on {@code address} ({@code port} 0: the same free port for both). */
    DnsServer(ClusterResolver resolver, Forwarder forwarder, InetSocketAddress address, int udpWorkers)
            throws IOException {
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.forwarder = requireNonNull(forwarder, "forwarder is null");
        Sockets sockets = bind(address);
        this.udp = sockets.udp();
        this.tcp = sockets.tcp();
        for (int i = 0; i < udpWorkers; i++) {
            threads.add(Thread.ofPlatform().daemon().name("dns-udp-" + i).start(this::serveUdp));
        }
        threads.add(Thread.ofVirtual().name("dns-tcp-accept").start(this::acceptTcp));
    }

    private record Sockets(DatagramChannel udp, ServerSocket tcp) {
    }

    private static Sockets bind(InetSocketAddress address) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            DatagramChannel u = DatagramChannel.open();
            ServerSocket t = new ServerSocket();
            try {
                u.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                u.bind(address);
                int port = ((InetSocketAddress) u.getLocalAddress()).getPort();
                t.setReuseAddress(true);
                t.bind(new InetSocketAddress(address.getAddress(), port), 128);
                return new Sockets(u, t);
            } catch (IOException e) {
                u.close();
                t.close();
                last = e;
                if (address.getPort() != 0) {
                    break;
                }
                // the free UDP port was taken for TCP by someone else: another pair
            }
        }
        throw last;
    }

    /** Where it listens (UDP and TCP). */
    InetSocketAddress address() {
        return new InetSocketAddress(tcp.getInetAddress(), tcp.getLocalPort());
    }

    private void serveUdp() {
        ByteBuffer in = ByteBuffer.allocate(65535);
        while (!closed) {
            try {
                in.clear();
                SocketAddress client = udp.receive(in);
                in.flip();
                byte[] bytes = new byte[in.remaining()];
                in.get(bytes);
                Message query;
                try {
                    query = new Message(bytes);
                } catch (IOException e) {
                    continue; // not DNS: nothing sensible to answer
                }
                Record q = query.getQuestion();
                if (q != null && !resolver.isClusterName(q.getName())) {
                    Thread.ofVirtual().name("dns-forward").start(() -> sendUdp(client, query,
                            forwarder.forward(query, false)));
                } else {
                    sendUdp(client, query, answer(query));
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.warn("dns: UDP query failed", e);
                }
            }
        }
    }

    private Message answer(Message query) {
        try {
            return resolver.answer(query);
        } catch (RuntimeException e) {
            log.warn("dns: cannot answer {}", query.getQuestion(), e);
            Message failure = new Message(query.getHeader().getID());
            failure.getHeader().setFlag(Flags.QR);
            failure.getHeader().setRcode(Rcode.SERVFAIL);
            if (query.getQuestion() != null) {
                failure.addRecord(query.getQuestion(), Section.QUESTION);
            }
            return failure;
        }
    }

    private void sendUdp(SocketAddress client, Message query, Message response) {
        OPTRecord opt = query.getOPT();
        int max = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
        if (opt != null) {
            response.addRecord(new OPTRecord(Math.min(opt.getPayloadSize(), 4096), 0, 0), Section.ADDITIONAL);
        }
        try {
            udp.send(ByteBuffer.wrap(response.toWire(max)), client);
        } catch (IOException e) {
            if (!closed) {
                log.debug("dns: cannot send to {}: {}", client, e.toString());
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                connections.add(s);
                Thread.ofVirtual().name("dns-tcp").start(() -> serveTcp(s));
            } catch (IOException e) {
                if (!closed) {
                    log.warn("dns: TCP accept failed", e);
                }
            }
        }
    }

    private void serveTcp(Socket s) {
        try (s) {
            s.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(s.getInputStream());
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException | SocketTimeoutException e) {
                    return;
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                Message query = new Message(bytes);
                Record q = query.getQuestion();
                Message response = q != null && !resolver.isClusterName(q.getName())
                        ? forwarder.forward(query, true) : answer(query);
                byte[] wire = response.toWire(65535);
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (IOException e) {
            if (!closed) {
                log.debug("dns: TCP connection failed: {}", e.toString());
            }
        } finally {
            connections.remove(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            udp.close();
        } catch (IOException e) {
            log.debug("dns: closing UDP", e);
        }
        try {
            tcp.close();
        } catch (IOException e) {
            log.debug("dns: closing TCP", e);
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("dns: closing a TCP connection", e);
            }
        }
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
