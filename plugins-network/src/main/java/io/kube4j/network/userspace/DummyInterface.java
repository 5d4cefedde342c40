package io.kube4j.network.userspace;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux dummy interface that holds the cluster IPs as /32 (/128) addresses, managed with
 * iproute2's {@code ip}, as kube-proxy's IPVS mode does with {@code kube-ipvs0}. Addresses left by
 * an earlier run are flushed at creation.
 */
final class DummyInterface implements LocalAddresses {
    private static final Logger log = LoggerFactory.getLogger(DummyInterface.class);
    private final String name;

    private DummyInterface(String name) {
        this.name = requireNonNull(name, "name is null");
    }

    /** Creates (or takes over) the interface, up and without addresses. */
    static DummyInterface create(String name) {
        DummyInterface dummy = new DummyInterface(name);
        Result show = run("ip", "link", "show", name);
        if (show.code() != 0) {
            Result add = run("ip", "link", "add", name, "type", "dummy");
            if (add.code() != 0) {
                throw new IllegalStateException("userspace proxy: cannot create the dummy interface " + name
                        + " that makes cluster IPs local addresses: 'ip link add " + name + " type dummy' said: "
                        + add.output().strip() + ". The userspace mode needs root (CAP_NET_ADMIN) and iproute2;"
                        + " run kube4j as root, or set the mode's config 'interface: \"\"' when the cluster IPs are"
                        + " already local addresses");
            }
        }
        dummy.check(run("ip", "addr", "flush", "dev", name), "ip addr flush dev " + name);
        dummy.check(run("ip", "link", "set", name, "up"), "ip link set " + name + " up");
        log.info("userspace proxy: dummy interface {} holds the cluster IPs", name);
        return dummy;
    }

    @Override
    public void add(String ip) {
        Result r = run("ip", "addr", "add", ip + (ip.contains(":") ? "/128" : "/32"), "dev", name);
        if (r.code() != 0 && !r.output().contains("File exists")) {
            check(r, "ip addr add " + ip + " dev " + name);
        }
    }

    @Override
    public void remove(String ip) {
        Result r = run("ip", "addr", "del", ip + (ip.contains(":") ? "/128" : "/32"), "dev", name);
        if (r.code() != 0 && !r.output().contains("Cannot assign requested address")) {
            check(r, "ip addr del " + ip + " dev " + name);
        }
    }

    @Override
    public void close() {
        Result r = run("ip", "link", "del", name);
        if (r.code() != 0) {
            log.warn("userspace proxy: cannot remove the dummy interface {}: {}", name, r.output().strip());
        }
    }

    private void check(Result r, String command) {
        if (r.code() != 0) {
            throw new IllegalStateException("userspace proxy: '" + command + "' failed (exit " + r.code() + "): "
                    + r.output().strip() + (r.output().contains("Operation not permitted")
                    ? ". The userspace mode needs root (CAP_NET_ADMIN)" : ""));
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(String... command) {
        List<String> cmd = new ArrayList<>(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", cmd) + " did not finish in 10 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("userspace proxy: cannot run '" + String.join(" ", cmd) + "' (is iproute2 "
                    + "installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("userspace proxy: interrupted while running " + String.join(" ", cmd), e);
        }
    }
}
