package io.kube4j.cri.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The CPU time and memory of a process group, from {@code /proc}: the sum over the group's
 * processes of {@code utime + stime + cutime + cstime} (fields 14 to 17 of {@code /proc/<pid>/stat},
 * so that children already reaped still count, once, in their parent's) and of {@code VmRSS}.
 */
final class ProcStats {
    /** USER_HZ, the unit of the times in {@code /proc/<pid>/stat}: 100 on every Linux the JDK runs on. */
    static final long TICKS_PER_SECOND = 100;

    record Usage(long cpuNanos, long rssBytes) {
    }

    private ProcStats() {
    }

    /** The usage of the processes whose process group is {@code pgid}. */
    static Usage group(long pgid) {
        return groups(java.util.Set.of(pgid)).getOrDefault(pgid, new Usage(0, 0));
    }

    /** The usage of each of the process groups {@code pgids}, from one pass over {@code /proc}. */
    static java.util.Map<Long, Usage> groups(java.util.Set<Long> pgids) {
        java.util.Map<Long, long[]> sums = new java.util.HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String name = proc.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue;
                }
                String[] f = fields(stat);
                if (f == null) {
                    continue;
                }
                long pgid = Long.parseLong(f[2]);
                if (!pgids.contains(pgid)) {
                    continue;
                }
                long[] sum = sums.computeIfAbsent(pgid, k -> new long[2]);
                sum[0] += cpuTicks(f);
                sum[1] += rssBytes(proc);
            }
        } catch (IOException | RuntimeException e) {
            return java.util.Map.of();
        }
        java.util.Map<Long, Usage> usage = new java.util.HashMap<>();
        sums.forEach((pgid, sum) -> usage.put(pgid, new Usage(sum[0] * (1_000_000_000L / TICKS_PER_SECOND), sum[1])));
        return usage;
    }

    /** The fields of a stat line from field 3 (the state) on; null if it cannot be read. */
    static String[] fields(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 1).strip().split(" +");
        return f.length < 20 ? null : f;
    }

    /** utime + stime + cutime + cstime (fields 14..17, at 11..14 from field 3). */
    static long cpuTicks(String[] f) {
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Math.max(0, Long.parseLong(f[13]))
                + Math.max(0, Long.parseLong(f[14]));
    }

    private static long rssBytes(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return kibibytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return 0;
    }

    /** The bytes of a {@code Key:   123 kB} line of {@code /proc} files. */
    static long kibibytes(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).strip().split(" +");
        return Long.parseLong(parts[0]) * 1024;
    }
}
