package io.kube4j.network.userspace;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts TCP connections on one address and splices each to an endpoint its {@link Balancer}
 * chooses, trying the others if it does not accept within the connect timeout. With no usable
 * endpoint a connection is reset at once, so that clients fail fast as with kube-proxy's REJECT.
 */
final class TcpListener implements Listener {
    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);
    private static final int BUFFER = 64 * 1024;

    private final String name;
    private final Balancer balancer;
    private final int connectTimeoutMillis;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    TcpListener(String name, InetSocketAddress address, Balancer balancer, Duration connectTimeout) {
        this.name = requireNonNull(name, "name is null");
        this.balancer = requireNonNull(balancer, "balancer is null");
        this.connectTimeoutMillis = (int) Math.max(1, connectTimeout.toMillis());
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(address, 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("userspace proxy: " + name + ": cannot listen on TCP " + address + ": "
                    + e.getMessage(), e);
        }
        Thread.ofVirtual().name("proxy-tcp-" + address).start(this::accept);
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("userspace proxy: {}: accept on {} failed: {}", name, server.getLocalSocketAddress(), e.toString());
                }
                return;
            }
            Thread.ofVirtual().name("proxy-conn").start(() -> forward(client));
        }
    }

    private void forward(Socket client) {
        open.add(client);
        Socket backend = null;
        try {
            InetAddress from = client.getInetAddress();
            List<InetSocketAddress> candidates = balancer.choose(from);
            for (InetSocketAddress endpoint : candidates) {
                Socket s = new Socket();
                try {
                    s.setTcpNoDelay(true);
                    s.connect(endpoint, connectTimeoutMillis);
                    backend = s;
                    if (endpoint != candidates.getFirst()) {
                        balancer.chose(from, endpoint);
                    }
                    break;
                } catch (IOException e) {
                    s.close();
                    balancer.failed(from, endpoint);
                    log.debug("userspace proxy: {}: endpoint {} failed: {}", name, endpoint, e.toString());
                }
            }
            if (backend == null || closed) {
                reset(client);
                return;
            }
            open.add(backend);
            client.setTcpNoDelay(true);
            Socket b = backend;
            Thread up = Thread.ofVirtual().name("proxy-conn-up").start(() -> copy(client, b));
            copy(b, client);
            up.join();
        } catch (IOException e) {
            log.debug("userspace proxy: {}: connection failed: {}", name, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            open.remove(client);
            if (backend != null) {
                closeQuietly(backend);
                open.remove(backend);
            }
        }
    }

    /** Copies until end of stream, then half-closes the other side; an error closes both. */
    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** A reset (RST) rather than an orderly close: clients see "connection reset" at once. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // closing is what matters
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }
}
