package io.kube4j.cri.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

    /** Copies {@code in} to the log until its end; returns then. Blocking: run on a thread of its own. */
    void pump(InputStream in, String stream) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
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
        } catch (IOException e) {
            // The process is gone or the pipe closed: what was read is written below.
        }
        if (line.size() > 0) {
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
