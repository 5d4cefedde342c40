package io.kube4j.samples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.PluginSlot;
import io.kube4j.runtime.profile.ControllerManagerProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.nio.file.Path;
import java.util.Optional;

/** Starts the sample profiles on a free port in a temporary data directory. */
final class Profiles {
    static final Path DIR = locate();

    private Profiles() {
    }

    static Cluster start(String profile, Path dataDir) {
        Path file = DIR.resolve(profile);
        ClusterProfile p = ProfileLoader.load(file).withDataDir(dataDir.toString()).withAddress("127.0.0.1:0");
        return Cluster.start(onFreePorts(p), file.toString(), Optional.empty());
    }

    /**
     * A copy of the default profile (single-node.yaml) in {@code dir} without its {@code proxy:} section,
     * for tests that start {@code kube4j up} as a child process on this machine's network and kill it:
     * a killed proxy would leave its cluster IPs on the machine's loopback.
     */
    static Path defaultWithoutProxy(Path dir) throws java.io.IOException {
        StringBuilder kept = new StringBuilder();
        boolean inProxy = false;
        for (String line : java.nio.file.Files.readAllLines(DIR.resolve("single-node.yaml"))) {
            if (!line.startsWith(" ") && !line.startsWith("#") && !line.isBlank()) {
                inProxy = line.startsWith("proxy:");
            }
            if (!inProxy) {
                kept.append(line).append('\n');
            }
        }
        Path file = dir.resolve("single-node-without-proxy.yaml");
        java.nio.file.Files.writeString(file, kept);
        return file;
    }

    /**
     * The profile's add-ons that listen (dns) on a free port, so that tests and a running cluster do not
     * collide, and without its kube-proxy, which would put cluster IPs on this machine's network (the
     * proxy tests run it in network namespaces of their own).
     */
    static ClusterProfile onFreePorts(ClusterProfile p) {
        return p.withProxy(Optional.empty()).withAddons(p.addons().stream().map(slot -> {
            if (!slot.plugin().equals("dns")) {
                return slot;
            }
            ObjectNode config = slot.config().isObject() ? ((ObjectNode) slot.config()).deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            return new PluginSlot(slot.plugin(), config.put("port", 0), slot.line());
        }).toList());
    }

    /**
     * The profile without its {@code nodes:}, for tests that make the Nodes they schedule onto themselves.
     * No kubelet renews those Nodes' Leases, so the {@code nodelifecycle} controller is left out: it would
     * taint them unreachable after 40 s.
     */
    static Cluster startWithoutNodes(String profile, Path dataDir) {
        Path file = DIR.resolve(profile);
        ClusterProfile p = ProfileLoader.load(file).withDataDir(dataDir.toString()).withAddress("127.0.0.1:0")
                .withNodes(java.util.List.of());
        p = p.withControllerManager(p.controllerManager().map(cm -> new ControllerManagerProfile(
                java.util.stream.Stream.concat(cm.controllers().stream(), java.util.stream.Stream.of("-nodelifecycle")).toList(),
                cm.workers(), cm.leaderElection(), cm.config())));
        return Cluster.start(onFreePorts(p), file.toString(), Optional.empty());
    }

    private static Path locate() {
        Path here = Path.of("").toAbsolutePath();
        Path p = here.resolve("profiles");
        return p.toFile().isDirectory() ? p : here.resolve("samples/profiles");
    }
}
