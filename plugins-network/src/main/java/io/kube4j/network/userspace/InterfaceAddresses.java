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
 * The interface that holds the cluster IPs as /32 (/128) addresses, managed with iproute2's
 * {@code ip}: a dummy interface of the mode's own, as kube-proxy's IPVS mode has {@code kube-ipvs0},
 * created (or taken over, its addresses flushed) at start and deleted on close; or the loopback
 * {@code lo}, when asked for or when the kernel has no dummy interfaces, where only the addresses
 * the mode added are removed again.
 */
final class InterfaceAddresses implements LocalAddresses {
    private static final Logger log = LoggerFactory.getLogger(InterfaceAddresses.class);
    static final String LOOPBACK = "lo";
    private final String name;
    private final boolean owned;

    private InterfaceAddresses(String name, boolean owned) {
        this.name = requireNonNull(name, "name is null");
        this.owned = owned;
    }

    /** The interface {@code name}: {@code lo} as it is, else a dummy interface created (or taken over) up and empty. */
    static InterfaceAddresses create(String name) {
        if (name.equals(LOOPBACK)) {
            return loopback();
        }
        InterfaceAddresses dummy = new InterfaceAddresses(name, true);
        Result show = run("ip", "link", "show", name);
        if (show.code() != 0) {
            Result add = run("ip", "link", "add", name, "type", "dummy");
            if (add.code() != 0 && add.output().contains("Unknown device type")) {
                log.warn("userspace proxy: this kernel has no dummy interfaces ('ip link add {} type dummy': {}); "
                        + "the cluster IPs go on the loopback interface lo instead", name, add.output().strip());
                return loopback();
            }
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

    private static InterfaceAddresses loopback() {
        InterfaceAddresses lo = new InterfaceAddresses(LOOPBACK, false);
        log.info("userspace proxy: the loopback interface lo holds the cluster IPs");
        return lo;
    }

    /** The interface's name ({@code lo} after a fallback). */
    String name() {
        return name;
    }

    @Override
    public void add(String ip) {
        Result r = run("ip", "addr", "add", ip + (ip.contains(":") ? "/128" : "/32"), "dev", name);
        // iproute2 says "File exists", or (newer) "Address already assigned", of an address already there.
        if (r.code() != 0 && !r.output().contains("File exists") && !r.output().contains("already assigned")) {
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
        if (!owned) {
            return;
        }
        Result r = run("ip", "link", "del", name);
        if (r.code() != 0) {
            log.warn("userspace proxy: cannot remove the dummy interface {}: {}", name, r.output().strip());
        }
    }

    private void check(Result r, String command) {
        if (r.code() != 0) {
            throw new IllegalStateException("userspace proxy: '" + command + "' failed (exit " + r.code() + "): "
                    + r.output().strip() + (r.output().contains("Operation not permitted")
                    ? ". The userspace mode needs root (CAP_NET_ADMIN) to add the cluster IPs to " + name : ""));
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
