package io.kube4j.runtime.scheduler.defaultbinder;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.scheduling.BindPlugin;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.Status;
import java.util.LinkedHashMap;
import java.util.Map;

/** Posts {@code {target: {kind: Node, name}}} to {@code pods/binding}, as kube-scheduler's DefaultBinder. */
final class DefaultBinderPlugin implements BindPlugin {
    private final SchedulingContext context;

    DefaultBinderPlugin(SchedulingContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public String name() {
        return DefaultBinderFactory.NAME;
    }

    @Override
    public Status bind(CycleState state, Pod pod, String nodeName) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", pod.getMetadata().getName());
        metadata.put("namespace", pod.getMetadata().getNamespace());
        if (pod.getMetadata().getUid() != null) {
            metadata.put("uid", pod.getMetadata().getUid());
        }
        Map<String, Object> binding = Map.of("apiVersion", "v1", "kind", "Binding", "metadata", metadata,
                "target", Map.of("apiVersion", "v1", "kind", "Node", "name", nodeName));
        try {
            context.client().createSubresource(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    "binding", binding);
            return Status.success();
        } catch (ApiException e) {
            return Status.error(e);
        }
    }
}
