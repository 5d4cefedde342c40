package io.kube4j.api.controller;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.List;

/**
 * One type a controller watches, and how its events turn into keys. A controller declares one
 * {@link For} (the type it reconciles) and any number of {@link Owns} and {@link Watches}; or, when
 * its keys name no single type, only {@link Watches}.
 */
public sealed interface WatchSource<T extends HasMetadata> {

    /** The watched type; the controller-manager shares one informer per type among all controllers. */
    Class<T> type();

    /** The reconciled type: each event of an object enqueues that object's own key. */
    record For<T extends HasMetadata>(Class<T> type) implements WatchSource<T> {
        public For {
            requireNonNull(type, "type is null");
        }
    }

    /**
     * A type the controller creates and owns (a Deployment's ReplicaSets): each event enqueues the
     * key of the object's controlling owner when that owner is of the reconciled type.
     */
    record Owns<T extends HasMetadata>(Class<T> type) implements WatchSource<T> {
        public Owns {
            requireNonNull(type, "type is null");
        }

        /**
         * The key of {@code owned}'s controller ({@code ownerReferences[]} with {@code controller:
         * true}) if that controller is a {@code forType} (same kind and API group, any version);
         * empty otherwise. The owner is in the owned object's namespace.
         */
        public List<Request> requestsFor(HasMetadata owned, Class<? extends HasMetadata> forType) {
            String kind = HasMetadata.getKind(forType);
            String group = HasMetadata.getGroup(forType);
            List<Request> requests = new ArrayList<>(1);
            List<OwnerReference> owners = owned.getMetadata().getOwnerReferences();
            if (owners == null) {
                return requests;
            }
            for (OwnerReference owner : owners) {
                if (Boolean.TRUE.equals(owner.getController()) && kind.equals(owner.getKind())
                        && group.equals(groupOf(owner.getApiVersion()))) {
                    String namespace = owned.getMetadata().getNamespace();
                    requests.add(new Request(namespace == null ? "" : namespace, owner.getName()));
                }
            }
            return requests;
        }

        private static String groupOf(String apiVersion) {
            if (apiVersion == null) {
                return "";
            }
            int slash = apiVersion.indexOf('/');
            return slash < 0 ? "" : apiVersion.substring(0, slash);
        }
    }

    /** Any other type, with a mapper from its objects to the keys to reconcile. */
    record Watches<T extends HasMetadata>(Class<T> type, RequestMapper<? super T> mapper) implements WatchSource<T> {
        public Watches {
            requireNonNull(type, "type is null");
            requireNonNull(mapper, "mapper is null");
        }
    }

    static <T extends HasMetadata> For<T> forType(Class<T> type) {
        return new For<>(type);
    }

    static <T extends HasMetadata> Owns<T> owns(Class<T> type) {
        return new Owns<>(type);
    }

    static <T extends HasMetadata> Watches<T> watches(Class<T> type, RequestMapper<? super T> mapper) {
        return new Watches<>(type, mapper);
    }
}
