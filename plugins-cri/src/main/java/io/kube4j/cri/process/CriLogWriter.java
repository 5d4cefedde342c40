package io.kube4j.cri.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a container's stdout and stderr to its log file in the CRI format, one line per chunk:
 * {@code <RFC 3339 nano timestamp> <stdout|stderr> <F|P> <text>}; a line longer than
 * {@link #MAX_LINE} is cut into partial ({@code P}) chunks, as containerd does.
 */
final class CriLogWriter implements AutoCloseable {
    static final int MAX_LINE = 16 * 1024;

    private final Path file;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final java.util.Map<String, ByteArrayOutputStream> pending = new java.util.concurrent.ConcurrentHashMap<>();
    private OutputStream out;

    CriLogWriter(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        Files.createDirectories(file.getParent());
        this.out = open(file);
    }

    private static OutputStream open(Path file) throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * Appends {@code n} bytes of {@code stream}'s output: each complete line is written; the rest
     * waits for its end (or {@link #flush}), and is cut into partial chunks past {@link #MAX_LINE}.
     * Called by one thread per container.
     */
    void accept(String stream, byte[] buffer, int n) {
        ByteArrayOutputStream line = pending.computeIfAbsent(stream, k -> new ByteArrayOutputStream());
        for (int i = 0; i < n; i++) {
            byte b = buffer[i];
            if (b == '\n') {
                write(stream, 'F', line);
            } else {
                line.write(b);
                if (line.size() >= MAX_LINE) {
                    write(stream, 'P', line);
                }
            }
        }
    }

    /** How many bytes of {@code stream} wait for the end of their line. */
    int pending(String stream) {
        ByteArrayOutputStream line = pending.get(stream);
        return line == null ? 0 : line.size();
    }

    /** Writes what waits for the end of its line as a line of its own: the output ended. */
    void flush(String stream) {
        ByteArrayOutputStream line = pending.get(stream);
        if (line != null && line.size() > 0) {
            write(stream, 'F', line);
        }
    }

    private void write(String stream, char tag, ByteArrayOutputStream text) {
        byte[] head = (DateTimeFormatter.ISO_INSTANT.format(clock.instant()) + " " + stream + " " + tag + " ")
                .getBytes(StandardCharsets.US_ASCII);
        lock.lock();
        try {
            out.write(head);
            text.writeTo(out);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            // A full disk must not kill the container; the line is lost, as with a real runtime.
        } finally {
            lock.unlock();
            text.reset();
        }
    }

    /** Closes and reopens the file, after the kubelet rotated it. */
    void reopen() throws IOException {
        lock.lock();
        try {
            out.close();
            out = open(file);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            out.close();
        } catch (IOException e) {
            // nothing left to save
        } finally {
            lock.unlock();
        }
    }
}
