package io.kube4j.network.iptables;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs iptables-save, iptables-restore and sysctl, through {@code ip netns exec} when the config names a namespace. */
final class IptablesCommands {
    private static final Pattern FAILED_LINE = Pattern.compile("line:? (\\d+)");

    private final IptablesConfig config;

    IptablesCommands(IptablesConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /** The filter and nat tables as {@code iptables-save} prints them. */
    String save() {
        String filter = run(List.of(config.iptablesSave(), "-t", "filter"), "");
        return filter + run(List.of(config.iptablesSave(), "-t", "nat"), "");
    }

    /** Applies {@code input} in one transaction, leaving chains it does not name as they are. */
    void restore(String input) {
        run(List.of(config.iptablesRestore(), "--noflush"), input);
    }

    /** Sets a kernel parameter ({@code net.ipv4.conf.all.route_localnet}) of the namespace. */
    void sysctl(String key, String value) {
        run(List.of("sysctl", "-q", "-w", key + "=" + value), "");
    }

    /** Deletes the conntrack entries that match {@code filter}; none matching is no error. */
    void conntrackDelete(List<String> filter) {
        List<String> command = new ArrayList<>(List.of("conntrack", "-D"));
        command.addAll(filter);
        run(command, "", 1);
    }

    private String run(List<String> command, String input) {
        return run(command, input, 0);
    }

    private String run(List<String> command, String input, int alsoFine) {
        List<String> full = new ArrayList<>();
        if (!config.netns().isEmpty()) {
            full.addAll(List.of("ip", "netns", "exec", config.netns()));
        }
        full.addAll(command);
        Process process;
        try {
            process = new ProcessBuilder(full).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", full), e);
        }
        try {
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            Thread errors = Thread.ofVirtual().name("iptables-stderr").start(() -> drain(process.getErrorStream(), stderr));
            Thread writer = Thread.ofVirtual().name("iptables-stdin").start(() -> write(process.getOutputStream(), input));
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            writer.join();
            errors.join();
            if (exit != 0 && exit != alsoFine) {
                throw new IllegalStateException(String.join(" ", full) + " failed (exit " + exit + "): "
                        + explain(stderr.toString(StandardCharsets.UTF_8).strip(), input));
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output of " + String.join(" ", full), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IllegalStateException("interrupted while running " + String.join(" ", full), e);
        }
    }

    /** iptables-restore names the failing line by number: quote the line, which says more. */
    private static String explain(String stderr, String input) {
        Matcher line = FAILED_LINE.matcher(stderr);
        if (!line.find()) {
            return stderr;
        }
        String[] lines = input.split("\n");
        int number = Integer.parseInt(line.group(1));
        return number >= 1 && number <= lines.length ? stderr + " [line " + number + ": " + lines[number - 1] + "]" : stderr;
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            // The process ended; whatever it wrote so far is what we report.
        }
    }

    private static void write(OutputStream stdin, String input) {
        try (stdin) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The process stopped reading (it failed): its exit code and stderr say why.
        }
    }
}
