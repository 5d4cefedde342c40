package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.controller.Lister;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one mirror pod in the API server for each static pod of the node, as the kubelet's
 * mirror client does: a copy of the static pod without its uid, annotated
 * {@code kubernetes.io/config.mirror: <hash>}, owned by the Node (controller), bound to it. A
 * mirror that is missing is created, one that is being deleted or is of an older manifest is
 * deleted (and made again on the next pass), one whose static pod is gone is deleted. Level-based:
 * {@link #sync} may run any time, from one thread at a time.
 */
final class MirrorPods {
    private static final Logger log = LoggerFactory.getLogger(MirrorPods.class);

    private final ApiClient client;
    private final Lister<Pod> pods;
    private final String nodeName;
    private final Map<String, String> clashes = new HashMap<>();

    MirrorPods(ApiClient client, Lister<Pod> pods, String nodeName) {
        this.client = requireNonNull(client, "client is null");
        this.pods = requireNonNull(pods, "pods is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
    }

    void sync(Collection<Pod> statics) {
        Map<String, Pod> wanted = new LinkedHashMap<>();
        statics.forEach(p -> wanted.put(key(p), p));
        for (Pod pod : statics) {
            String hash = pod.getMetadata().getUid();
            Optional<Pod> current = pods.get(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            if (current.isEmpty()) {
                create(pod);
            } else if (!StaticPods.isMirror(current.get())) {
                if (clashes.put(key(pod), current.get().getMetadata().getUid()) == null) {
                    log.warn("static pod {} has no mirror pod: a pod of the API server has its name", key(pod));
                }
            } else if (!hash.equals(StaticPods.annotation(current.get(), StaticPods.MIRROR))
                    || current.get().getMetadata().getDeletionTimestamp() != null) {
                delete(current.get());
            }
        }
        for (Pod mirror : pods.list()) {
            if (StaticPods.isMirror(mirror) && nodeName.equals(mirror.getSpec().getNodeName())
                    && !wanted.containsKey(key(mirror))) {
                delete(mirror);
            }
        }
        clashes.keySet().retainAll(wanted.keySet());
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private void create(Pod pod) {
        Optional<Node> node = client.get(Node.class, "", nodeName);
        if (node.isEmpty()) {
            return;
        }
        Map<String, String> annotations = new LinkedHashMap<>(pod.getMetadata().getAnnotations());
        annotations.put(StaticPods.MIRROR, pod.getMetadata().getUid());
        Pod mirror = new PodBuilder(pod).withMetadata(new ObjectMetaBuilder()
                        .withName(pod.getMetadata().getName()).withNamespace(pod.getMetadata().getNamespace())
                        .withLabels(pod.getMetadata().getLabels()).withAnnotations(annotations)
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                                .withName(nodeName).withUid(node.get().getMetadata().getUid()).withController(true).build())
                        .build())
                .withStatus(null).build();
        try {
            client.create(mirror);
            log.info("created the mirror pod of static pod {}", key(pod));
        } catch (ApiException e) {
            if (e.code() != 409) {
                log.warn("cannot create the mirror pod of static pod {}: {}", key(pod), e.getMessage());
            }
        }
    }

    private void delete(Pod mirror) {
        try {
            client.delete(Pod.class, mirror.getMetadata().getNamespace(), mirror.getMetadata().getName(),
                    DeleteOptions.gracePeriod(0).withPreconditionUid(mirror.getMetadata().getUid()));
        } catch (ApiException e) {
            if (!e.isNotFound() && !e.isConflict()) {
                log.warn("cannot delete mirror pod {}: {}", key(mirror), e.getMessage());
            }
        }
    }
}
