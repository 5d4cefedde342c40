package io.kube4j.scheduler.nodeports;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.ActionType;
import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.ClusterEventWithHint;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.EnqueueExtensions;
import io.kube4j.api.scheduling.FilterPlugin;
import io.kube4j.api.scheduling.HostPort;
import io.kube4j.api.scheduling.NodeInfo;
import io.kube4j.api.scheduling.PreFilterPlugin;
import io.kube4j.api.scheduling.PreFilterResult;
import io.kube4j.api.scheduling.Status;
import java.util.ArrayList;
import java.util.List;

final class NodePortsPlugin implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {

    static final String REASON = "node(s) didn't have free ports for the requested pod ports";

    private static final CycleState.Key<WantedPorts> PRE_FILTER_KEY =
            new CycleState.Key<>("PreFilter" + NodePortsFactory.NAME, WantedPorts.class);

    record WantedPorts(List<HostPort> ports) implements CycleState.StateData {
        WantedPorts {
            ports = List.copyOf(ports);
        }
    }

    @Override
    public String name() {
        return NodePortsFactory.NAME;
    }

    /** SKIP for a pod without host ports, so that Filter is not called for it at all. */
    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod) {
        List<HostPort> ports = hostPorts(pod);
        if (ports.isEmpty()) {
            return PreFilterResult.of(Status.skip());
        }
        state.write(PRE_FILTER_KEY, new WantedPorts(ports));
        return PreFilterResult.allNodes();
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
        var wanted = state.read(PRE_FILTER_KEY);
        if (wanted.isEmpty()) {
            return Status.error("reading \"" + PRE_FILTER_KEY.name() + "\" from cycleState: not found");
        }
        for (HostPort port : wanted.get().ports()) {
            if (nodeInfo.isPortInUse(port)) {
                return Status.unschedulable(REASON);
            }
        }
        return Status.success();
    }

    /**
     * The host ports of the pod's (regular) containers, as kube-scheduler checks them; init
     * containers are not checked, which PodInfo#hostPorts (what the node counts as used) does include.
     */
    static List<HostPort> hostPorts(Pod pod) {
        List<HostPort> ports = new ArrayList<>();
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return ports;
        }
        for (Container container : pod.getSpec().getContainers()) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort port : container.getPorts()) {
                if (port.getHostPort() == null || port.getHostPort() <= 0) {
                    continue;
                }
                String ip = port.getHostIP() == null || port.getHostIP().isEmpty() ? HostPort.ANY_IP : port.getHostIP();
                String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
                ports.add(new HostPort(ip, protocol, port.getHostPort()));
            }
        }
        return ports;
    }

    /** Ports are freed by pods leaving; new nodes bring free ports. */
    @Override
    public List<ClusterEventWithHint> eventsToRegister() {
        return List.of(
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.POD, ActionType.DELETE)),
                ClusterEventWithHint.of(ClusterEvent.of(ClusterEvent.NODE, ActionType.ADD, ActionType.UPDATE)));
    }
}
