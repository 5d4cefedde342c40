package io.kube4j.api.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.auth.UserInfo;
import io.kube4j.api.resource.ResourceType;
import java.util.Optional;

/**
 * One write going through admission, as Kubernetes' {@code admission.Attributes}.
 *
 * @param operation   CREATE, UPDATE, DELETE or CONNECT
 * @param resource    the resource type written
 * @param subresource e.g. status, or ""
 * @param namespace   namespace, or "" for cluster-scoped
 * @param name        object name (may be "" on create with generateName)
 * @param object      the new object (CREATE, UPDATE); plugins must not change it, they return a changed copy
 * @param oldObject   the object as stored (UPDATE, DELETE)
 * @param user        who writes
 * @param dryRun      whether the write will not be persisted; plugins with side effects must skip them
 */
public record AdmissionRequest(Operation operation, ResourceType resource, String subresource, String namespace,
                               String name, Optional<ObjectNode> object, Optional<ObjectNode> oldObject,
                               UserInfo user, boolean dryRun) {
    public enum Operation { CREATE, UPDATE, DELETE, CONNECT }

    public AdmissionRequest {
        requireNonNull(operation, "operation is null");
        requireNonNull(resource, "resource is null");
        requireNonNull(subresource, "subresource is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        requireNonNull(object, "object is null");
        requireNonNull(oldObject, "oldObject is null");
        requireNonNull(user, "user is null");
    }
}
