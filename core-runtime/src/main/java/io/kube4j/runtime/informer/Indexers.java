package io.kube4j.runtime.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.controller.Lister;
import io.kube4j.api.controller.SharedInformer.IndexFunction;
import java.util.List;

/** Index functions every controller needs, with their conventional names. */
public final class Indexers {
    /** The built-in index: the namespace, "" for cluster-scoped objects. */
    public static final String NAMESPACE = Lister.NAMESPACE_INDEX;
    /** Objects by the uid of each of their owners (garbage collector, owner lookups). */
    public static final String OWNER_UID = "ownerUid";
    /** Pods by {@code spec.nodeName} (only bound pods are indexed). */
    public static final String NODE_NAME = "nodeName";

    private Indexers() {
    }

    public static <T extends HasMetadata> List<String> namespace(T object) {
        String ns = object.getMetadata().getNamespace();
        return List.of(ns == null ? "" : ns);
    }

    public static <T extends HasMetadata> IndexFunction<T> byOwnerUid() {
        return object -> {
            List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
            return owners == null ? List.of()
                    : owners.stream().map(OwnerReference::getUid).filter(u -> u != null && !u.isEmpty()).toList();
        };
    }

    public static IndexFunction<Pod> podsByNode() {
        return pod -> {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            return node == null || node.isEmpty() ? List.of() : List.of(node);
        };
    }
}
