package io.kube4j.runtime.kubelet;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Reads a CRI-format container log back as {@code kubectl logs} shows it: the text of each chunk,
 * partial chunks joined, with the timestamp first if asked; the last {@code tailLines} lines, lines
 * since a time, and following the file while the container runs.
 */
final class CriLogReader {

    /** What to read: {@code tailLines} negative for all, {@code since} empty for no limit, {@code limitBytes} 0 for no limit. */
    record Options(boolean follow, long tailLines, boolean timestamps, Optional<Instant> since, long limitBytes) {
    }

    private record Entry(String timestamp, boolean partial, String text) {
        static Optional<Entry> parse(String line) {
            int a = line.indexOf(' ');
            int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
            int c = b < 0 ? -1 : line.indexOf(' ', b + 1);
            if (c < 0) {
                return b >= 0 && line.length() == b + 2 ? Optional.of(new Entry(line.substring(0, a), line.charAt(b + 1) == 'P', ""))
                        : Optional.empty();
            }
            return Optional.of(new Entry(line.substring(0, a), line.charAt(b + 1) == 'P', line.substring(c + 1)));
        }
    }

    private CriLogReader() {
    }

    /**
     * Writes the log of {@code file} to {@code out}. With follow, keeps reading as the file grows
     * while {@code running} holds, then drains what is left and returns.
     */
    static void copy(Path file, Options options, OutputStream out, BooleanSupplier running) throws IOException,
            InterruptedException {
        Counter written = new Counter(options.limitBytes());
        long position = 0;
        StringBuilder pending = new StringBuilder();
        if (options.tailLines() >= 0) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            position = Files.size(file);
            Deque<String> tail = new ArrayDeque<>();
            StringBuilder partial = new StringBuilder();
            String partialTs = null;
            for (String line : lines) {
                Optional<Entry> e = Entry.parse(line);
                if (e.isEmpty() || !after(e.get(), options)) {
                    continue;
                }
                partialTs = partialTs == null ? e.get().timestamp() : partialTs;
                partial.append(e.get().text());
                if (!e.get().partial()) {
                    tail.addLast(format(partialTs, partial.toString(), options));
                    partial.setLength(0);
                    partialTs = null;
                    if (tail.size() > options.tailLines()) {
                        tail.removeFirst();
                    }
                }
            }
            for (String line : tail) {
                if (!written.write(out, line)) {
                    return;
                }
            }
            out.flush();
            if (!options.follow()) {
                return;
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] buffer = new byte[64 * 1024];
            StringBuilder partial = new StringBuilder();
            String partialTs = null;
            while (true) {
                boolean alive = running.getAsBoolean();
                raf.seek(position);
                int n = raf.read(buffer);
                if (n > 0) {
                    position += n;
                    pending.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = pending.indexOf("\n")) >= 0) {
                        String line = pending.substring(0, nl);
                        pending.delete(0, nl + 1);
                        Optional<Entry> e = Entry.parse(line);
                        if (e.isEmpty() || !after(e.get(), options)) {
                            continue;
                        }
                        partialTs = partialTs == null ? e.get().timestamp() : partialTs;
                        partial.append(e.get().text());
                        if (!e.get().partial()) {
                            if (!written.write(out, format(partialTs, partial.toString(), options))) {
                                out.flush();
                                return;
                            }
                            partial.setLength(0);
                            partialTs = null;
                        }
                    }
                    out.flush();
                    continue;
                }
                if (!options.follow() || !alive) {
                    return;
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean after(Entry e, Options options) {
        if (options.since().isEmpty()) {
            return true;
        }
        try {
            return !Instant.parse(e.timestamp()).isBefore(options.since().get());
        } catch (java.time.format.DateTimeParseException ex) {
            return true;
        }
    }

    private static String format(String timestamp, String text, Options options) {
        return options.timestamps() ? timestamp + " " + text + "\n" : text + "\n";
    }

    private static final class Counter {
        private final long limit;
        private long count;

        Counter(long limit) {
            this.limit = limit;
        }

        boolean write(OutputStream out, String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (limit > 0 && count + bytes.length > limit) {
                out.write(bytes, 0, (int) (limit - count));
                count = limit;
                return false;
            }
            out.write(bytes);
            count += bytes.length;
            return true;
        }
    }
}
