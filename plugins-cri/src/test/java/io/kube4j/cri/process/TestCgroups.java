package io.kube4j.cri.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.node.LinuxContainerResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files the groups are made of, on a directory laid out as a v1 or a v2 hierarchy (no kernel involved). */
class TestCgroups {
    @TempDir
    Path root;

    @Test
    void v1WritesTheMemoryAndCpuKnobsOfBothHierarchies() throws Exception {
        Files.createDirectories(root.resolve("memory"));
        Files.createDirectories(root.resolve("cpu"));
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712");
        Files.writeString(root.resolve("cpu/cpu.cfs_quota_us"), "-1");
        Cgroups cgroups = Cgroups.detect(root).orElseThrow();
        List<Path> procs = cgroups.create("c1", new LinuxContainerResources(100_000, 50_000, 512, 128L << 20, 0));
        assertThat(procs).containsExactly(root.resolve("memory/kube4j/c1/cgroup.procs"), root.resolve("cpu/kube4j/c1/cgroup.procs"));
        assertThat(Files.readString(root.resolve("memory/kube4j/c1/memory.limit_in_bytes"))).isEqualTo("134217728");
        assertThat(Files.readString(root.resolve("cpu/kube4j/c1/cpu.cfs_quota_us"))).isEqualTo("50000");
        assertThat(Files.readString(root.resolve("cpu/kube4j/c1/cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(Files.readString(root.resolve("cpu/kube4j/c1/cpu.shares"))).isEqualTo("512");
        assertThat(cgroups.oomKilled("c1")).isFalse();
        Files.writeString(root.resolve("memory/kube4j/c1/memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        assertThat(cgroups.oomKilled("c1")).isTrue();
    }

    @Test
    void v2WritesOneGroupAndHandsTheControllersDown() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Cgroups cgroups = Cgroups.detect(root).orElseThrow();
        assertThat(Files.readString(root.resolve("kube4j/cgroup.subtree_control"))).isEqualTo("+memory +cpu");
        List<Path> procs = cgroups.create("c2", new LinuxContainerResources(100_000, 20_000, 1024, 64L << 20, 0));
        assertThat(procs).containsExactly(root.resolve("kube4j/c2/cgroup.procs"));
        assertThat(Files.readString(root.resolve("kube4j/c2/memory.max"))).isEqualTo("67108864");
        assertThat(Files.readString(root.resolve("kube4j/c2/cpu.max"))).isEqualTo("20000 100000");
        assertThat(Files.readString(root.resolve("kube4j/c2/cpu.weight"))).isEqualTo("39");
        Files.writeString(root.resolve("kube4j/c2/memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        assertThat(cgroups.oomKilled("c2")).isTrue();
    }

    @Test
    void noHierarchyOrNoMemoryControllerMeansNotEnforced() throws Exception {
        assertThat(Cgroups.detect(root)).isEmpty();
        Files.writeString(root.resolve("cgroup.controllers"), "cpu pids\n");
        assertThat(Cgroups.detect(root)).isEmpty();
    }

    @Test
    void sharesBecomeWeightsAsRuncMapsThem() {
        assertThat(Cgroups.weight(2)).isEqualTo(1);
        assertThat(Cgroups.weight(1024)).isEqualTo(39);
        assertThat(Cgroups.weight(262_144)).isEqualTo(10_000);
        assertThat(Cgroups.limits(LinuxContainerResources.UNLIMITED)).isFalse();
        assertThat(Cgroups.limits(new LinuxContainerResources(0, 0, 0, 1, 0))).isTrue();
    }
}
