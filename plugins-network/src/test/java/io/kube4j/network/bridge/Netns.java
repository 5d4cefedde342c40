package io.kube4j.network.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Network namespaces a test makes with {@code ip netns}, and deletes again, with the processes it started in them. */
final class Netns implements AutoCloseable {
    private static final String PREFIX = "k4jt" + ProcessHandle.current().pid() + "-";
    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** Makes namespace {@code <prefix><suffix>}, with {@code lo} up. */
    String add(String suffix) {
        String name = PREFIX + suffix;
        run("ip", "netns", "add", name);
        names.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        return name;
    }

    static String path(String name) {
        return "/var/run/netns/" + name;
    }

    /** Runs a command to its end and returns its standard output; fails on a non-zero exit. */
    static String run(String... command) {
        Result result = tryRun(command);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exit() + ": " + result.output());
        }
        return result.output();
    }

    record Result(int exit, String output) {
    }

    static Result tryRun(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 30 s");
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a long-running command inside namespace {@code name}; killed on close. */
    Process start(String name, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + full, e);
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (String name : names.reversed()) {
            tryRun("ip", "netns", "del", name);
        }
    }
}
