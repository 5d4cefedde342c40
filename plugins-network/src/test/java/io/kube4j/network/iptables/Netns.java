package io.kube4j.network.iptables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** A network namespace a test creates, runs commands and servers in, and deletes with everything in it. */
final class Netns implements AutoCloseable {
    record Result(int exit, String stdout, String stderr) {
        Result orThrow() {
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit + ": " + stderr.strip());
            }
            return this;
        }
    }

    final String name;
    private final List<Process> processes = new ArrayList<>();

    private Netns(String name) {
        this.name = name;
    }

    /** A new namespace with a unique name, its loopback up. */
    static Netns create() {
        String name = "k4j-ipt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        host("ip", "netns", "add", name).orThrow();
        Netns netns = new Netns(name);
        netns.run("ip", "link", "set", "lo", "up").orThrow();
        return netns;
    }

    /** Whether this machine lets tests create namespaces: root and iproute2. */
    static boolean available() {
        try {
            return host("id", "-u").stdout().strip().equals("0") && host("ip", "netns", "list").exit() == 0
                    && host("iptables-restore", "--version").exit() == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    Result run(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return exec(full);
    }

    Result sh(String script) {
        return run("sh", "-c", script);
    }

    /** Starts a long-running process in the namespace; {@link #close} stops it. */
    Process start(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The namespace's filter and nat tables, without the comment lines and counters that change by themselves. */
    String iptablesSave() {
        String saved = run("iptables-save", "-t", "filter").orThrow().stdout() + run("iptables-save", "-t", "nat").orThrow().stdout();
        return saved.lines().filter(line -> !line.startsWith("#")).map(line -> line.replaceAll("\\[\\d+:\\d+]", ""))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        host("ip", "netns", "del", name);
    }

    static Result host(String... command) {
        return exec(List.of(command));
    }

    private static Result exec(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            byte[][] err = new byte[1][];
            Thread stderr = Thread.ofVirtual().start(() -> {
                try {
                    err[0] = process.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    err[0] = new byte[0];
                }
            });
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            stderr.join();
            return new Result(exit, out, new String(err[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
