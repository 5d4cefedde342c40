package io.kube4j.cri.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestProcStats {
    @Test
    void cpuIsUserSystemAndReapedChildrensTime() {
        String stat = "42 (my (odd) cmd) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 20 10 20 0 1 0 987654 1000 10";
        String[] f = ProcStats.fields(stat);
        assertThat(f[0]).isEqualTo("S");
        assertThat(Long.parseLong(f[2])).as("pgrp").isEqualTo(42);
        assertThat(ProcStats.cpuTicks(f)).isEqualTo(7 + 3 + 20 + 10);
        assertThat(ProcStats.fields("broken")).isNull();
    }

    @Test
    void kibibytesOfAProcLine() {
        assertThat(ProcStats.kibibytes("VmRSS:\t    2048 kB")).isEqualTo(2048 * 1024L);
        assertThat(ProcStats.kibibytes("MemTotal:       16384 kB")).isEqualTo(16384 * 1024L);
    }

    @Test
    void theGroupOfThisJvmUsesCpuAndMemory() {
        long pgid = Long.parseLong(ProcStats.fields(read("/proc/self/stat"))[2]);
        ProcStats.Usage usage = ProcStats.group(pgid);
        assertThat(usage.cpuNanos()).isPositive();
        assertThat(usage.rssBytes()).isGreaterThan(Runtime.getRuntime().totalMemory() / 4);
    }

    private static String read(String file) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(file));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
