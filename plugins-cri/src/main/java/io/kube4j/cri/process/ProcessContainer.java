package io.kube4j.cri.process;

import io.kube4j.api.node.Container;
import io.kube4j.api.node.ContainerConfig;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/** One container of the {@code process} runtime: a process group led by the container's main process. */
final class ProcessContainer {
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    private final String id;
    private final String sandboxId;
    private final ContainerConfig config;
    private final String imageRef;
    private final Instant createdAt;
    private final Path workingDir;
    private final Map<String, String> env;
    private final Path logPath;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private volatile ContainerState state = ContainerState.CREATED;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;
    private volatile int exitCode;
    private volatile String reason = "";
    private volatile String message = "";
    private volatile Process process;
    private volatile CriLogWriter log;

    ProcessContainer(String id, String sandboxId, ContainerConfig config, String imageRef, Instant createdAt,
                     Path workingDir, Map<String, String> env, Path logPath, Clock clock) {
        this.id = id;
        this.sandboxId = sandboxId;
        this.config = config;
        this.imageRef = imageRef;
        this.createdAt = createdAt;
        this.workingDir = workingDir;
        this.env = Map.copyOf(env);
        this.logPath = logPath;
        this.clock = clock;
    }

    String id() {
        return id;
    }

    String sandboxId() {
        return sandboxId;
    }

    String imageRef() {
        return imageRef;
    }

    Path workingDir() {
        return workingDir;
    }

    Map<String, String> env() {
        return env;
    }

    ContainerState state() {
        return state;
    }

    /** The pid of the main process (and the id of its process group), or empty before start. */
    Optional<Long> pid() {
        Process p = process;
        return p == null ? Optional.empty() : Optional.of(p.pid());
    }

    void start() {
        lock.lock();
        try {
            if (state != ContainerState.CREATED) {
                throw new ContainerRuntimeException("container " + id + " is " + state + ", not CREATED");
            }
            List<String> argv = new ArrayList<>();
            // setsid: the container leads a new session and process group, so the group can be signalled as a whole.
            argv.add("setsid");
            argv.addAll(config.command());
            argv.addAll(config.args());
            ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDir.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            try {
                log = new CriLogWriter(logPath, clock);
                process = builder.start();
            } catch (IOException e) {
                if (log != null) {
                    log.close();
                }
                state = ContainerState.EXITED;
                startedAt = clock.instant();
                finishedAt = startedAt;
                exitCode = 128;
                reason = "StartError";
                message = e.getMessage();
                exited.complete(null);
                throw new ContainerRuntimeException("cannot start container " + config.metadata().name() + ": "
                        + e.getMessage(), e);
            }
            startedAt = clock.instant();
            state = ContainerState.RUNNING;
            process.getOutputStream().close();
        } catch (IOException e) {
            // closing stdin of a process that already ended: nothing to do
        } finally {
            lock.unlock();
        }
        Process p = process;
        CriLogWriter writer = log;
        Thread out = Thread.ofVirtual().name("process-log-" + id.substring(0, 12) + "-out")
                .start(() -> writer.pump(p.getInputStream(), "stdout"));
        Thread err = Thread.ofVirtual().name("process-log-" + id.substring(0, 12) + "-err")
                .start(() -> writer.pump(p.getErrorStream(), "stderr"));
        p.onExit().thenRunAsync(() -> finish(p, writer, out, err), Thread::startVirtualThread);
    }

    /** The main process ended: the rest of its group goes with it, the output is drained, the container EXITED. */
    private void finish(Process p, CriLogWriter writer, Thread out, Thread err) {
        signalGroup(p.pid(), "KILL");
        try {
            long deadline = System.nanoTime() + OUTPUT_DRAIN.toNanos();
            out.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            err.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        lock.lock();
        try {
            exitCode = p.exitValue();
            finishedAt = clock.instant();
            reason = exitCode == 0 ? "Completed" : "Error";
            state = ContainerState.EXITED;
        } finally {
            lock.unlock();
        }
        exited.complete(null);
    }

    /** SIGTERM to the group, SIGKILL after {@code timeout}; returns once EXITED. */
    void stop(Duration timeout) {
        lock.lock();
        try {
            if (state == ContainerState.CREATED) {
                state = ContainerState.EXITED;
                finishedAt = clock.instant();
                startedAt = finishedAt;
                reason = "Completed";
                exited.complete(null);
                return;
            }
        } finally {
            lock.unlock();
        }
        Process p = process;
        if (p == null || exited.isDone()) {
            return;
        }
        if (!timeout.isZero() && !timeout.isNegative()) {
            signalGroup(p.pid(), "TERM");
            if (await(timeout)) {
                return;
            }
        }
        signalGroup(p.pid(), "KILL");
        p.destroyForcibly();
        if (!await(Duration.ofSeconds(10))) {
            throw new ContainerRuntimeException("container " + id + " did not exit 10 s after SIGKILL");
        }
    }

    private boolean await(Duration timeout) {
        try {
            exited.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return exited.isDone();
        }
    }

    /**
     * Signals the process group {@code pgid}. Java cannot call killpg, so kill(1) does; should that
     * fail, the main process and the descendants Java still sees are signalled one by one.
     */
    static void signalGroup(long pgid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // fall back below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessHandle.of(pgid).ifPresent(h -> {
            h.descendants().forEach(d -> {
                if (signal.equals("KILL")) {
                    d.destroyForcibly();
                } else {
                    d.destroy();
                }
            });
            if (signal.equals("KILL")) {
                h.destroyForcibly();
            } else {
                h.destroy();
            }
        });
    }

    void reopenLog() {
        CriLogWriter writer = log;
        if (writer != null && state == ContainerState.RUNNING) {
            try {
                writer.reopen();
            } catch (IOException e) {
                throw new ContainerRuntimeException("cannot reopen the log of " + id + ": " + e.getMessage(), e);
            }
        }
    }

    Container summary() {
        return new Container(id, sandboxId, config.metadata(), config.image(), imageRef, state, createdAt,
                config.labels(), config.annotations());
    }

    ContainerStatus status() {
        lock.lock();
        try {
            return new ContainerStatus(id, config.metadata(), state, createdAt, Optional.ofNullable(startedAt),
                    Optional.ofNullable(finishedAt), exitCode, config.image(), imageRef, reason, message,
                    config.labels(), config.annotations(), logPath.toString());
        } finally {
            lock.unlock();
        }
    }
}
