package io.kube4j.cri.process;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.node.LinuxContainerResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The control groups that enforce a {@code process} container's cpu and memory limits, one per
 * container under a {@code kube4j} group: cgroup v2 ({@code <root>/kube4j/<id>} with
 * {@code memory.max}, {@code cpu.max}, {@code cpu.weight}) or v1 ({@code <root>/memory/kube4j/<id>}
 * with {@code memory.limit_in_bytes}, {@code <root>/cpu/kube4j/<id>} with {@code cpu.cfs_quota_us},
 * {@code cpu.cfs_period_us}, {@code cpu.shares}). The container's wrapper writes its pid to each
 * group's {@code cgroup.procs} before it starts the command, so the command and all it forks are
 * held. A memory limit that is hit kills the container (the kernel's OOM killer), which
 * {@link #oomKilled} tells.
 */
final class Cgroups {
    private static final String PARENT = "kube4j";

    private final Path root;
    private final boolean v2;

    private Cgroups(Path root, boolean v2) {
        this.root = root;
        this.v2 = v2;
    }

    /**
     * The hierarchy under {@code root} (/sys/fs/cgroup) if this process may make groups there: v2
     * with the cpu and memory controllers, or v1 with writable cpu and memory hierarchies. Empty
     * otherwise, and then limits are not enforced.
     */
    static Optional<Cgroups> detect(Path root) {
        requireNonNull(root, "root is null");
        try {
            Path controllers = root.resolve("cgroup.controllers");
            if (Files.isRegularFile(controllers)) {
                String available = Files.readString(controllers);
                if (!available.contains("memory") || !available.contains("cpu")) {
                    return Optional.empty();
                }
                Path parent = root.resolve(PARENT);
                Files.createDirectories(parent);
                // v2: a group's children get controllers only if the group hands them down.
                Files.writeString(parent.getParent().resolve("cgroup.subtree_control"), "+memory +cpu");
                Files.writeString(parent.resolve("cgroup.subtree_control"), "+memory +cpu");
                return Optional.of(new Cgroups(root, true));
            }
            Path memory = root.resolve("memory");
            Path cpu = root.resolve("cpu");
            if (!Files.isRegularFile(memory.resolve("memory.limit_in_bytes")) || !Files.isRegularFile(cpu.resolve("cpu.cfs_quota_us"))) {
                return Optional.empty();
            }
            Files.createDirectories(memory.resolve(PARENT));
            Files.createDirectories(cpu.resolve(PARENT));
            return Optional.of(new Cgroups(root, false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True if {@code resources} asks for anything these groups would enforce. */
    static boolean limits(LinuxContainerResources resources) {
        return resources.memoryLimitBytes() > 0 || resources.cpuQuota() > 0 || resources.cpuShares() > 0;
    }

    /** The groups of container {@code id}. */
    private List<Path> groups(String id) {
        return v2 ? List.of(root.resolve(PARENT).resolve(id))
                : List.of(root.resolve("memory").resolve(PARENT).resolve(id), root.resolve("cpu").resolve(PARENT).resolve(id));
    }

    /**
     * Makes the groups of container {@code id} with its limits; returns the {@code cgroup.procs}
     * files its wrapper joins.
     */
    List<Path> create(String id, LinuxContainerResources resources) throws IOException {
        List<Path> procs = new ArrayList<>();
        for (Path group : groups(id)) {
            Files.createDirectories(group);
            procs.add(group.resolve("cgroup.procs"));
        }
        long period = resources.cpuPeriod() > 0 ? resources.cpuPeriod() : 100_000;
        if (v2) {
            Path group = groups(id).getFirst();
            if (resources.memoryLimitBytes() > 0) {
                Files.writeString(group.resolve("memory.max"), Long.toString(resources.memoryLimitBytes()));
                // No swap beyond the limit, as the kubelet's default (NoSwap).
                write(group.resolve("memory.swap.max"), "0");
            }
            if (resources.cpuQuota() > 0) {
                Files.writeString(group.resolve("cpu.max"), resources.cpuQuota() + " " + period);
            }
            if (resources.cpuShares() > 0) {
                Files.writeString(group.resolve("cpu.weight"), Long.toString(weight(resources.cpuShares())));
            }
        } else {
            Path memory = groups(id).get(0);
            Path cpu = groups(id).get(1);
            if (resources.memoryLimitBytes() > 0) {
                Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(resources.memoryLimitBytes()));
                write(memory.resolve("memory.memsw.limit_in_bytes"), Long.toString(resources.memoryLimitBytes()));
            }
            if (resources.cpuQuota() > 0) {
                Files.writeString(cpu.resolve("cpu.cfs_period_us"), Long.toString(period));
                Files.writeString(cpu.resolve("cpu.cfs_quota_us"), Long.toString(resources.cpuQuota()));
            }
            if (resources.cpuShares() > 0) {
                Files.writeString(cpu.resolve("cpu.shares"), Long.toString(resources.cpuShares()));
            }
        }
        return procs;
    }

    /** cpu.shares (2..262144) as cgroup v2's cpu.weight (1..10000), the formula runc uses. */
    static long weight(long shares) {
        long clamped = Math.max(2, Math.min(262_144, shares));
        return 1 + ((clamped - 2) * 9999) / 262_142;
    }

    /** Whether container {@code id} has its memory group (it was given limits, and the group is not removed yet). */
    boolean exists(String id) {
        return Files.isDirectory(groups(id).getFirst());
    }

    /** Whether the kernel's OOM killer killed a process of container {@code id}'s group. */
    boolean oomKilled(String id) {
        Path file = v2 ? groups(id).getFirst().resolve("memory.events") : groups(id).getFirst().resolve("memory.oom_control");
        try {
            for (String line : Files.readAllLines(file)) {
                String[] words = line.strip().split("\\s+");
                if (words.length == 2 && words[0].equals("oom_kill")) {
                    return Long.parseLong(words[1]) > 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no group: not known to have been killed
        }
        return false;
    }

    /** Removes container {@code id}'s groups (once its processes are gone); what is still busy stays. */
    void remove(String id) {
        for (Path group : groups(id)) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException e) {
                // still holds a process, or already gone
            }
        }
    }

    private static void write(Path file, String value) {
        try {
            if (Files.exists(file)) {
                Files.writeString(file, value);
            }
        } catch (IOException e) {
            // optional knob (swap accounting off)
        }
    }
}
