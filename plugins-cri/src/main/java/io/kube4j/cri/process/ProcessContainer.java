package io.kube4j.cri.process;

import io.kube4j.api.node.Container;
import io.kube4j.api.node.ContainerConfig;
import io.kube4j.api.node.ContainerMetadata;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.ContainerState;
import io.kube4j.api.node.ContainerStatus;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * One container of the {@code process} runtime: a process group led by a small supervising shell
 * (the wrapper, {@link #WRAPPER}) that runs the container's command as its child. The wrapper
 * outlives the JVM, so the container does too: it writes the command's exit code to the
 * container's state directory, and its stdout and stderr go to files there (never to a pipe that
 * dies with the JVM). A watcher thread copies those files to the CRI log and notices the end; a
 * runtime started later on the same directory finds the container in its {@code state.json} and
 * watches it again ({@link #load}).
 *
 * <p>The state directory holds {@code state.json} ({@link ContainerRecord}), {@code stdout} and
 * {@code stderr} (raw output, removed once copied after the end), {@code offsets} (how much of
 * each is in the CRI log: a crash repeats at most what was copied since the last write of it) and
 * {@code exit} (the wrapper's).
 */
final class ProcessContainer {
    static final Duration POLL = Duration.ofMillis(100);
    /** The exit code and reason of a container whose process ended without the wrapper recording one. */
    static final int UNKNOWN_EXIT_CODE = 137;
    static final String UNKNOWN_REASON = "ContainerStatusUnknown";
    /**
     * Run as {@code setsid sh -c WRAPPER kube4j-container EXIT_FILE CGROUP_PROCS COMMAND ARGS...}: it
     * joins the container's control groups first (CGROUP_PROCS: their {@code cgroup.procs} files,
     * separated by {@code :}; empty for none; exit code 125 if it cannot), leads the group, ignores SIGTERM itself (a trap, so the command gets the default disposition; the
     * runtime signals the whole group, so the command gets it directly), waits for the command,
     * writes its exit code, then SIGKILLs what is left of the group, as the end of a PID namespace
     * would. A {@code wait} cut short by the trap returns 128 + the signal; if the command ended just then,
     * a second {@code wait} reads its own status (without it, a command that handled SIGTERM and exited 0
     * could be recorded as 143). A background command of a non-interactive shell ignores SIGINT and SIGQUIT (POSIX).
     */
    static final String WRAPPER = """
            e=$1; g=$2; shift 2
            for f in $(echo "$g" | tr ':' ' '); do
              echo $$ > "$f" || { echo 125 > "$e.tmp" && mv "$e.tmp" "$e"; exit 125; }
            done
            trap : TERM INT HUP
            "$@" &
            c=$!
            while :; do
              wait "$c"; r=$?
              kill -0 "$c" 2>/dev/null || break
            done
            if [ "$r" -gt 128 ]; then wait "$c"; s=$?; [ "$s" -ne 127 ] && r=$s; fi
            echo "$r" > "$e.tmp" && mv "$e.tmp" "$e"
            trap '' TERM
            kill -KILL 0
            """;
    private static final String STDOUT = "stdout";
    private static final String STDERR = "stderr";

    private final Path dir;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private final long[] offsets = new long[2];
    private volatile ContainerRecord record;
    private volatile CriLogWriter log;
    private volatile Thread watcher;
    private volatile boolean detached;
    /** Wakes the watcher for {@link #detach}; an interrupt instead could cut its file writes short (ClosedByInterrupt). */
    private final CountDownLatch detaching = new CountDownLatch(1);
    private volatile boolean killed;
    /** Whether the kernel's OOM killer ended the container of an id: asked once, when a SIGKILL we did not send ended it. */
    private final Predicate<String> oomKilled;

    private ProcessContainer(Path dir, ContainerRecord record, Clock clock, Predicate<String> oomKilled) {
        this.dir = dir;
        this.record = record;
        this.clock = clock;
        this.oomKilled = oomKilled;
    }

    /** A new container, CREATED, with its state directory {@code dir} made and its record written. */
    static ProcessContainer create(Path dir, ContainerRecord record, Clock clock, Predicate<String> oomKilled) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        ProcessContainer container = new ProcessContainer(dir, record, clock, oomKilled);
        container.save();
        return container;
    }

    /**
     * The container kept in {@code dir} by an earlier runtime, or empty if there is none. One that
     * was running is watched again (it ended meanwhile if its exit code is there or its wrapper
     * is gone); one that was created and never started is reported exited with
     * {@link #UNKNOWN_REASON}, so that the kubelet makes it again.
     */
    static Optional<ProcessContainer> load(Path dir, Clock clock, Predicate<String> oomKilled) {
        Optional<ContainerRecord> saved = StateFiles.read(dir.resolve("state.json"), ContainerRecord.class);
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        ProcessContainer container = new ProcessContainer(dir, saved.get(), clock, oomKilled);
        switch (ContainerState.valueOf(saved.get().state())) {
            case RUNNING -> container.adopt();
            case CREATED -> container.exit(UNKNOWN_EXIT_CODE, UNKNOWN_REASON,
                    "the container was created but not started when its runtime stopped", clock.instant());
            default -> container.exited.complete(null);
        }
        return Optional.of(container);
    }

    /** Completes when the container has ended (EXITED, its record saved). */
    CompletableFuture<Void> exited() {
        return exited;
    }

    String id() {
        return record.id();
    }

    String sandboxId() {
        return record.sandboxId();
    }

    String imageRef() {
        return record.imageRef();
    }

    String image() {
        return record.image();
    }

    Path workingDir() {
        return Path.of(record.workingDir());
    }

    Map<String, String> env() {
        return record.env();
    }

    ContainerState state() {
        return ContainerState.valueOf(record.state());
    }

    Path directory() {
        return dir;
    }

    /** The pid of the wrapper (and the id of the container's process group), or empty before start. */
    Optional<Long> pid() {
        long pid = record.pid();
        return pid == 0 ? Optional.empty() : Optional.of(pid);
    }

    /**
     * Starts the container; with a {@code netns}, inside that network namespace ({@code ip netns exec},
     * which also puts {@code /etc/netns/<netns>/resolv.conf} in place of {@code /etc/resolv.conf}), and
     * in the control groups whose {@code cgroup.procs} files are {@code cgroupProcs}.
     */
    void start(ContainerConfig config, Optional<String> netns, List<Path> cgroupProcs) {
        lock.lock();
        try {
            if (state() != ContainerState.CREATED) {
                throw new ContainerRuntimeException("container " + id() + " is " + state() + ", not CREATED");
            }
            List<String> argv = new ArrayList<>();
            netns.ifPresent(n -> argv.addAll(List.of("ip", "netns", "exec", n)));
            argv.addAll(List.of("setsid", "sh", "-c", WRAPPER, "kube4j-container", dir.resolve("exit").toString(),
                    String.join(":", cgroupProcs.stream().map(Path::toString).toList())));
            int commandAt = argv.size();
            argv.addAll(config.command());
            argv.addAll(config.args());
            Process process;
            try {
                executable(argv.get(commandAt));
                log = new CriLogWriter(Path.of(record.logPath()), clock);
                // setsid: the wrapper leads a new session and process group, so the group can be signalled as a whole.
                ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDir().toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(STDOUT).toFile()))
                        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(STDERR).toFile()));
                builder.environment().clear();
                builder.environment().putAll(record.env());
                process = builder.start();
            } catch (IOException | ContainerRuntimeException e) {
                if (log != null) {
                    log.close();
                }
                exit(128, "StartError", e.getMessage(), clock.instant());
                throw new ContainerRuntimeException("cannot start container " + record.name() + ": " + e.getMessage(), e);
            }
            String now = clock.instant().toString();
            // Read before the wrapper can end and be reaped; a wrapper already gone is told by its exit file.
            long startTime = StateFiles.startTime(process.pid()).orElse(-1);
            record = with(ContainerState.RUNNING, process.pid(), startTime, now, "", 0, "", "");
            save();
        } finally {
            lock.unlock();
        }
        watch();
    }

    /** Fails unless {@code command} is a path to an executable or names one on the container's {@code PATH}. */
    private void executable(String command) throws IOException {
        if (command.contains("/")) {
            Path path = workingDir().resolve(command);
            if (!Files.isExecutable(path) || Files.isDirectory(path)) {
                throw new IOException(command + ": no such executable");
            }
            return;
        }
        for (String entry : record.env().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty()) {
                Path path = workingDir().resolve(entry).resolve(command);
                if (Files.isExecutable(path) && !Files.isDirectory(path)) {
                    return;
                }
            }
        }
        throw new IOException("executable file not found in $PATH: " + command);
    }

    private void adopt() {
        try {
            log = new CriLogWriter(Path.of(record.logPath()), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reopen the log of " + id() + ": " + e.getMessage(), e);
        }
        try {
            String[] saved = Files.readString(dir.resolve("offsets"), StandardCharsets.US_ASCII).strip().split(" ");
            offsets[0] = Long.parseLong(saved[0]);
            offsets[1] = Long.parseLong(saved[1]);
        } catch (IOException | RuntimeException e) {
            // none written yet: the output is copied from its start
        }
        watch();
    }

    private void watch() {
        watcher = Thread.ofVirtual().name("process-watch-" + id().substring(0, 12)).start(this::watchLoop);
    }

    /** Copies the output to the log until the container ends, then records how it ended. */
    private void watchLoop() {
        try {
            while (!detached) {
                boolean ended = Files.exists(dir.resolve("exit")) || !StateFiles.alive(record.pid(), record.pidStartTime());
                copyOutput();
                if (ended) {
                    finish();
                    return;
                }
                if (detaching.await(POLL.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // detached: the container runs on, for the next runtime
        }
    }

    /** Copies what the wrapper's output files gained since the last time to the CRI log. */
    private void copyOutput() {
        boolean moved = copy(0, STDOUT) | copy(1, STDERR);
        if (moved) {
            long out = offsets[0] - log.pending(STDOUT);
            long err = offsets[1] - log.pending(STDERR);
            try {
                StateFiles.writeAtomically(dir.resolve("offsets"), (out + " " + err).getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // a crash before the next write repeats some lines in the log; nothing else is lost
            }
        }
    }

    private boolean copy(int index, String stream) {
        try (FileChannel channel = FileChannel.open(dir.resolve(stream), StandardOpenOption.READ)) {
            channel.position(offsets[index]);
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            boolean moved = false;
            int n;
            while ((n = channel.read(buffer)) > 0) {
                log.accept(stream, buffer.array(), n);
                offsets[index] += n;
                buffer.clear();
                moved = true;
            }
            return moved;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The wrapper ended: the rest of the output goes to the log, then the container is EXITED with its code. */
    private void finish() {
        CriLogWriter writer = log;
        writer.flush(STDOUT);
        writer.flush(STDERR);
        writer.close();
        Path exitFile = dir.resolve("exit");
        OptionalInt code = StateFiles.exitCode(exitFile);
        Instant at = clock.instant();
        try {
            at = Files.getLastModifiedTime(exitFile).toInstant();
        } catch (IOException e) {
            // no exit file: the end was seen now
        }
        if (code.isPresent()) {
            exit(code.getAsInt(), reason(code.getAsInt()), "", at);
        } else if (killed) {
            exit(UNKNOWN_EXIT_CODE, "Error", "", at);
        } else {
            exit(UNKNOWN_EXIT_CODE, UNKNOWN_REASON, "the container's process ended without an exit code", at);
        }
        for (String name : List.of(STDOUT, STDERR, "offsets")) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                // removed with the container
            }
        }
    }

    /**
     * Why the container ended with {@code exitCode}: OOMKilled when a SIGKILL that the runtime did
     * not send came from the kernel's OOM killer, decided here once, before the container is
     * reported EXITED, so that no one ever reads it as a plain Error first.
     */
    private String reason(int exitCode) {
        if (exitCode == 0) {
            return "Completed";
        }
        return exitCode == UNKNOWN_EXIT_CODE && !killed && oomKilled.test(record.id()) ? "OOMKilled" : "Error";
    }

    private void exit(int exitCode, String reason, String message, Instant at) {
        lock.lock();
        try {
            ContainerRecord r = record;
            String started = r.startedAt().isEmpty() ? at.toString() : r.startedAt();
            record = with(ContainerState.EXITED, r.pid(), r.pidStartTime(), started, at.toString(), exitCode, reason,
                    message == null ? "" : message);
            save();
        } finally {
            lock.unlock();
        }
        exited.complete(null);
    }

    private ContainerRecord with(ContainerState state, long pid, long startTime, String startedAt, String finishedAt,
                                 int exitCode, String reason, String message) {
        ContainerRecord r = record;
        return new ContainerRecord(r.id(), r.sandboxId(), r.name(), r.attempt(), r.image(), r.imageRef(), r.labels(),
                r.annotations(), r.createdAt(), r.logPath(), r.workingDir(), r.env(), pid, startTime, state.name(),
                startedAt, finishedAt, exitCode, reason, message);
    }

    private void save() {
        StateFiles.write(dir.resolve("state.json"), record);
    }

    /** SIGTERM to the group, SIGKILL after {@code timeout}; returns once EXITED. */
    void stop(Duration timeout) {
        lock.lock();
        try {
            if (state() == ContainerState.CREATED) {
                exit(0, "Completed", "", clock.instant());
                return;
            }
        } finally {
            lock.unlock();
        }
        if (exited.isDone()) {
            return;
        }
        if (!timeout.isZero() && !timeout.isNegative()) {
            signal("TERM");
            if (await(timeout)) {
                return;
            }
        }
        killed = true;
        signal("KILL");
        if (!await(Duration.ofSeconds(10))) {
            throw new ContainerRuntimeException("container " + id() + " did not exit 10 s after SIGKILL");
        }
    }

    /** Signals the container's group, unless its wrapper is gone (its pid may be another process's by now). */
    private void signal(String signal) {
        ContainerRecord r = record;
        if (StateFiles.alive(r.pid(), r.pidStartTime())) {
            signalGroup(r.pid(), signal);
        }
    }

    /** Stops watching and leaves the container running, for a later runtime on the same directory to adopt. */
    void detach() {
        detached = true;
        detaching.countDown();
        Thread t = watcher;
        if (t != null) {
            // Not interrupted: the watcher ends its pass (log lines and their offsets written together) and stops.
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CriLogWriter writer = log;
        if (writer != null && !exited.isDone()) {
            writer.close();
        }
    }

    private boolean await(Duration timeout) {
        try {
            exited.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
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
        if (writer != null && state() == ContainerState.RUNNING) {
            try {
                writer.reopen();
            } catch (IOException e) {
                throw new ContainerRuntimeException("cannot reopen the log of " + id() + ": " + e.getMessage(), e);
            }
        }
    }

    Container summary() {
        ContainerRecord r = record;
        return new Container(r.id(), r.sandboxId(), new ContainerMetadata(r.name(), r.attempt()), r.image(), r.imageRef(),
                ContainerState.valueOf(r.state()), Instant.parse(r.createdAt()), r.labels(), r.annotations());
    }

    ContainerStatus status() {
        ContainerRecord r = record;
        return new ContainerStatus(r.id(), new ContainerMetadata(r.name(), r.attempt()), ContainerState.valueOf(r.state()),
                Instant.parse(r.createdAt()), time(r.startedAt()), time(r.finishedAt()), r.exitCode(), r.image(),
                r.imageRef(), r.reason(), r.message(), r.labels(), r.annotations(), r.logPath());
    }

    private static Optional<Instant> time(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(value));
    }
}
