package io.kube4j.scheduler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.ImageState;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.NodeInfoLister;
import io.kube4j.api.scheduling.Resources;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.Status;
import io.kube4j.api.scheduling.WaitingPod;
import io.kube4j.scheduler.noderesources.PodRequests;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pods, nodes and NodeInfo snapshots for the plugin tests, built from fabric8 objects as the scheduler's cache would. */
public final class SchedulingFixtures {

    public static final long MIB = 1024 * 1024;

    private SchedulingFixtures() {
    }

    /** A node offering {@code cpu} and {@code memory} (quantities) and 110 pods. */
    public static Node node(String name, String cpu, String memory) {
        return new NodeBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus()
                .addToCapacity("cpu", new Quantity(cpu)).addToCapacity("memory", new Quantity(memory))
                .addToCapacity("pods", new Quantity("110"))
                .addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity(memory))
                .addToAllocatable("pods", new Quantity("110"))
                .endStatus()
                .build();
    }

    /** A node with no resources at all, for the plugins that do not look at them. */
    public static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec().build();
    }

    /** A pod in {@code default} with one container {@code app} requesting {@code cpu} and {@code memory} (null: no request). */
    public static Pod pod(String name, String cpu, String memory) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").withUid(name + "-uid").endMetadata()
                .withNewSpec().addToContainers(container("app", cpu, memory)).endSpec()
                .build();
    }

    /** A pod without requests. */
    public static Pod pod(String name) {
        return pod(name, null, null);
    }

    public static Container container(String name, String cpu, String memory) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        if (cpu != null) {
            requests.put("cpu", new Quantity(cpu));
        }
        if (memory != null) {
            requests.put("memory", new Quantity(memory));
        }
        return new ContainerBuilder().withName(name).withImage("registry.example/" + name + ":v1")
                .withNewResources().withRequests(requests).endResources().build();
    }

    /** The node with {@code pods} on it, in a one-node snapshot. */
    public static NodeInfo nodeInfo(Node node, Pod... pods) {
        return snapshot(List.of(node), List.of(pods)).get(0);
    }

    /**
     * NodeInfos of {@code nodes}, each with the pods whose {@code spec.nodeName} names it, and
     * images counted across all of them.
     */
    public static List<NodeInfo> snapshot(List<Node> nodes, List<Pod> pods) {
        Map<String, Integer> imageNodes = new HashMap<>();
        for (Node node : nodes) {
            for (ContainerImage image : images(node)) {
                image.getNames().forEach(name -> imageNodes.merge(name, 1, Integer::sum));
            }
        }
        List<NodeInfo> infos = new ArrayList<>();
        for (Node node : nodes) {
            Map<String, ImageState> imageStates = new HashMap<>();
            for (ContainerImage image : images(node)) {
                for (String name : image.getNames()) {
                    imageStates.put(name, new ImageState(image.getSizeBytes(), imageNodes.get(name)));
                }
            }
            Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                    ? Map.of() : node.getStatus().getAllocatable();
            NodeInfo info = NodeInfo.of(node, Resources.of(allocatable), imageStates);
            for (Pod pod : pods) {
                if (node.getMetadata().getName().equals(pod.getSpec().getNodeName())) {
                    info = info.withPod(PodRequests.podInfo(pod));
                }
            }
            infos.add(info);
        }
        return infos;
    }

    /** {@code pod} bound to {@code nodeName}. */
    public static Pod onNode(Pod pod, String nodeName) {
        return new PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec().build();
    }

    /** A context whose snapshot is {@code nodes}; the API server and event recorder are not there. */
    public static SchedulingContext context(List<NodeInfo> nodes) {
        List<NodeInfo> snapshot = List.copyOf(nodes);
        NodeInfoLister lister = new NodeInfoLister() {
            @Override
            public List<NodeInfo> list() {
                return snapshot;
            }

            @Override
            public Optional<NodeInfo> get(String nodeName) {
                return snapshot.stream().filter(node -> node.nodeName().equals(nodeName)).findFirst();
            }
        };
        return new SchedulingContext() {
            @Override
            public String schedulerName() {
                return "default-scheduler";
            }

            @Override
            public NodeInfoLister snapshot() {
                return lister;
            }

            @Override
            public ApiClient client() {
                throw new UnsupportedOperationException("no API server in plugin tests");
            }

            @Override
            public EventRecorder eventRecorder() {
                throw new UnsupportedOperationException("no event recorder in plugin tests");
            }

            @Override
            public int parallelism() {
                return 1;
            }

            @Override
            public Optional<WaitingPod> waitingPod(String uid) {
                return Optional.empty();
            }

            @Override
            public List<WaitingPod> waitingPods() {
                return List.of();
            }

            @Override
            public Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo) {
                throw new UnsupportedOperationException("no framework in plugin tests");
            }

            @Override
            public Path dataDir() {
                return Path.of("/nonexistent");
            }

            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }
        };
    }

    private static List<ContainerImage> images(Node node) {
        if (node.getStatus() == null || node.getStatus().getImages() == null) {
            return List.of();
        }
        return node.getStatus().getImages();
    }
}
