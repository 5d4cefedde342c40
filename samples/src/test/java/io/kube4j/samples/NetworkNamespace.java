package io.kube4j.samples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of its own for a test ({@code ip netns add}), with loopback up; commands run
 * in it with {@code ip netns exec}. {@link #close} kills what still runs in it and deletes it.
 */
final class NetworkNamespace implements AutoCloseable {
    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** Whether this test process may make namespaces: root, with iproute2. */
    static boolean available() {
        return "root".equals(System.getProperty("user.name"))
                && List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip").stream().anyMatch(p -> Files.isExecutable(Path.of(p)));
    }

    static NetworkNamespace create(String prefix) {
        String name = prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30, 1L << 40), 36);
        Result added = run(Duration.ofSeconds(10), "ip", "netns", "add", name);
        if (added.exitCode() != 0) {
            throw new AssertionError("ip netns add " + name + ": " + added.output());
        }
        NetworkNamespace ns = new NetworkNamespace(name);
        try {
            ns.exec(Duration.ofSeconds(10), "ip", "link", "set", "lo", "up").ok();
        } catch (AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** The prefix that runs a command in the namespace. */
    List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Runs {@code command} in the namespace; its stdout and stderr together. */
    Result exec(Duration timeout, String... command) {
        List<String> all = new ArrayList<>(prefix());
        all.addAll(List.of(command));
        return run(timeout, all.toArray(String[]::new));
    }

    record Result(int exitCode, String output, Duration took) {
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + ": " + output);
            }
            return this;
        }
    }

    static Result run(Duration timeout, String... command) {
        long began = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            }, Thread::startVirtualThread);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout);
            }
            return new Result(p.exitValue(), out.join(), Duration.ofNanos(System.nanoTime() - began));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Kills the processes left in the namespace (only this test's), then deletes it. */
    @Override
    public void close() {
        Result pids = run(Duration.ofSeconds(10), "ip", "netns", "pids", name);
        for (String pid : pids.output().split("\\s+")) {
            if (pid.matches("[0-9]+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        run(Duration.ofSeconds(10), "ip", "netns", "del", name);
    }
}
