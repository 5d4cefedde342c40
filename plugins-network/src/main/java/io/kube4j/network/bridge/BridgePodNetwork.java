package io.kube4j.network.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.NodeContext;
import io.kube4j.api.node.PodNetwork;
import io.kube4j.api.node.PodNetworkRequest;
import io.kube4j.api.node.PodNetworkStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Wires a pod's network namespace with the CNI chain {@code loopback} (for {@code lo}) and
 * {@code bridge} + {@code host-local} (for {@code eth0}), as a container runtime's CNI glue does.
 *
 * <p>Each sandbox has a record under {@code <nodeDataDir>/cni/sandboxes/}: the network config it
 * was wired with, its namespace and, once ADD succeeded, the plugin's result. The record is
 * written before ADD, so that a kubelet that dies half-way still tears the sandbox down (and
 * host-local frees its IP) with the config it was wired with; DEL passes the result back as
 * {@code prevResult}, as the CNI specification asks.
 */
final class BridgePodNetwork implements PodNetwork {
    private static final String CNI_VERSION = "1.0.0";
    private static final String NETWORK_NAME = "kube4j";
    private static final String LOOPBACK = "lo";

    private final ObjectMapper json = new ObjectMapper();
    private final BridgeNetworkConfig config;
    private final NodeContext context;
    private final CniExecutor cni;
    private final Path sandboxes;
    private final Path ipamDir;
    private final String bridge;

    BridgePodNetwork(BridgeNetworkConfig config, NodeContext context, CniExecutor cni) {
        this.config = requireNonNull(config, "config is null");
        this.context = requireNonNull(context, "context is null");
        this.cni = requireNonNull(cni, "cni is null");
        Path root = context.nodeDataDir().resolve("cni");
        this.sandboxes = root.resolve("sandboxes");
        this.ipamDir = root.resolve("ipam");
        this.bridge = config.bridge().isEmpty() ? defaultBridge(context.nodeName()) : config.bridge();
    }

    /** {@code k4j} and 12 hex digits of the node name's SHA-256: unique per node, within IFNAMSIZ. */
    static String defaultBridge(String nodeName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(nodeName.getBytes(StandardCharsets.UTF_8));
            return "k4j" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The bridge this node's pods hang off. */
    String bridge() {
        return bridge;
    }

    @Override
    public PodNetworkStatus setUpPod(PodNetworkRequest request) {
        Optional<SandboxRecord> known = read(request.sandboxId());
        if (known.isPresent() && known.get().result().isPresent()) {
            return status(known.get(), request.interfaceName());
        }
        String netnsPath = request.networkNamespacePath().orElseThrow(() -> new ContainerRuntimeException(
                "the bridge pod network needs a network namespace per pod, and the container runtime gave pod "
                        + request.namespace() + "/" + request.name() + " none"));
        ObjectNode network = bridgeConfig(podCidr());
        write(new SandboxRecord(netnsPath, request.interfaceName(), network, Optional.empty()), request.sandboxId());
        cni.run("loopback", call("ADD", request, netnsPath, LOOPBACK), loopbackConfig());
        JsonNode result = cni.run("bridge", call("ADD", request, netnsPath, request.interfaceName()), network);
        SandboxRecord wired = new SandboxRecord(netnsPath, request.interfaceName(), network, Optional.of(result));
        write(wired, request.sandboxId());
        return status(wired, request.interfaceName());
    }

    @Override
    public void tearDownPod(PodNetworkRequest request) {
        Optional<SandboxRecord> known = read(request.sandboxId());
        if (known.isEmpty()) {
            return;
        }
        SandboxRecord sandbox = known.get();
        // DEL must succeed when the namespace is already gone: then the plugins only free the IP
        // and the host side of the veth, which the kernel removed with the namespace.
        String netnsPath = Files.exists(Path.of(sandbox.netnsPath())) ? sandbox.netnsPath() : "";
        ObjectNode network = sandbox.network().deepCopy();
        sandbox.result().ifPresent(result -> network.set("prevResult", result));
        cni.run("bridge", call("DEL", request, netnsPath, sandbox.interfaceName()), network);
        try {
            Files.deleteIfExists(recordPath(request.sandboxId()));
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot remove " + recordPath(request.sandboxId()) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<PodNetworkStatus> status(PodNetworkRequest request) {
        Optional<SandboxRecord> known = read(request.sandboxId());
        if (known.isEmpty() || known.get().result().isEmpty()) {
            return Optional.empty();
        }
        SandboxRecord sandbox = known.get();
        if (!Files.exists(Path.of(sandbox.netnsPath()))) {
            throw new ContainerRuntimeException("the network namespace " + sandbox.netnsPath() + " of pod "
                    + request.namespace() + "/" + request.name() + " is gone");
        }
        ObjectNode network = sandbox.network().deepCopy();
        network.set("prevResult", sandbox.result().get());
        cni.run("bridge", call("CHECK", request, sandbox.netnsPath(), sandbox.interfaceName()), network);
        return Optional.of(status(sandbox, request.interfaceName()));
    }

    private PodNetworkStatus status(SandboxRecord sandbox, String interfaceName) {
        List<String> ips = new ArrayList<>();
        for (JsonNode ip : sandbox.result().orElseThrow().path("ips")) {
            String address = ip.path("address").asText();
            int slash = address.indexOf('/');
            ips.add(slash < 0 ? address : address.substring(0, slash));
        }
        if (ips.isEmpty()) {
            throw new ContainerRuntimeException("the CNI bridge plugin gave " + sandbox.netnsPath() + " no IP");
        }
        return new PodNetworkStatus(ips, interfaceName);
    }

    private String podCidr() {
        if (!config.podCidr().isEmpty()) {
            return config.podCidr();
        }
        Node node;
        try {
            node = context.client().get(Node.class, "", context.nodeName()).orElseThrow(() ->
                    new ContainerRuntimeException("node " + context.nodeName() + " is not registered yet"));
        } catch (ApiException e) {
            throw new ContainerRuntimeException("cannot read node " + context.nodeName() + ": " + e.getMessage(), e);
        }
        String cidr = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
        if (cidr == null || cidr.isBlank()) {
            throw new ContainerRuntimeException("node " + context.nodeName() + " has no spec.podCIDR yet: enable the "
                    + "nodeipam controller (controllerManager.controllers) or set the bridge network's podCidr");
        }
        return cidr;
    }

    private ObjectNode bridgeConfig(String subnet) {
        ObjectNode network = json.createObjectNode()
                .put("cniVersion", CNI_VERSION)
                .put("name", NETWORK_NAME)
                .put("type", "bridge")
                .put("bridge", bridge)
                .put("isGateway", true)
                .put("hairpinMode", true)
                .put("ipMasq", config.ipMasq());
        if (config.mtu() != 0) {
            network.put("mtu", config.mtu());
        }
        ObjectNode ipam = network.putObject("ipam").put("type", "host-local").put("dataDir", ipamDir.toString());
        ipam.putArray("ranges").addArray().addObject().put("subnet", subnet);
        ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
        return network;
    }

    private ObjectNode loopbackConfig() {
        return json.createObjectNode().put("cniVersion", CNI_VERSION).put("name", LOOPBACK).put("type", "loopback");
    }

    private static CniExecutor.Call call(String command, PodNetworkRequest request, String netnsPath, String ifName) {
        String args = "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + request.namespace() + ";K8S_POD_NAME=" + request.name()
                + ";K8S_POD_INFRA_CONTAINER_ID=" + request.sandboxId() + ";K8S_POD_UID=" + request.podUid();
        return new CniExecutor.Call(command, request.sandboxId(), netnsPath, ifName, args);
    }

    /** What this node knows of one sandbox's wiring, kept across kubelet restarts. */
    record SandboxRecord(String netnsPath, String interfaceName, ObjectNode network, Optional<JsonNode> result) {
    }

    private Path recordPath(String sandboxId) {
        if (!sandboxId.matches("[A-Za-z0-9._-]+")) {
            throw new ContainerRuntimeException("a sandbox id that is not a file name: " + sandboxId);
        }
        return sandboxes.resolve(sandboxId + ".json");
    }

    private Optional<SandboxRecord> read(String sandboxId) {
        Path path = recordPath(sandboxId);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            JsonNode record = json.readTree(path.toFile());
            JsonNode result = record.get("result");
            return Optional.of(new SandboxRecord(record.path("netns").asText(), record.path("ifName").asText(),
                    (ObjectNode) record.get("network"), result == null || result.isNull() ? Optional.empty() : Optional.of(result)));
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private void write(SandboxRecord sandbox, String sandboxId) {
        Path path = recordPath(sandboxId);
        ObjectNode record = json.createObjectNode().put("netns", sandbox.netnsPath()).put("ifName", sandbox.interfaceName());
        record.set("network", sandbox.network());
        sandbox.result().ifPresent(result -> record.set("result", result));
        try {
            Files.createDirectories(sandboxes);
            Path temp = Files.createTempFile(sandboxes, sandboxId, ".tmp");
            Files.write(temp, json.writeValueAsBytes(record));
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }
}
