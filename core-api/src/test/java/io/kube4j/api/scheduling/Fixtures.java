package io.kube4j.api.scheduling;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

final class Fixtures {

    private Fixtures() {
    }

    static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
    }

    static Pod pod(String name, String cpu, int hostPort) {
        PodBuilder builder = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata();
        var container = builder.withNewSpec().addNewContainer().withName("c").withImage("nginx")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources();
        if (hostPort > 0) {
            container = container.addNewPort().withContainerPort(80).withHostPort(hostPort).endPort();
        }
        return container.endContainer().endSpec().build();
    }

    static PodInfo podInfo(String name, String cpu, int hostPort) {
        Resources requests = Resources.of(Map.of("cpu", new Quantity(cpu))).plus(new Resources(0, 0, 0, 1, Map.of()));
        return new PodInfo(pod(name, cpu, hostPort), requests, requests);
    }

    static NodeInfo nodeInfo(String name, String cpu) {
        return NodeInfo.of(node(name), Resources.of(Map.of("cpu", new Quantity(cpu), "pods", new Quantity("110"))), Map.of());
    }
}
