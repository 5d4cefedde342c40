package io.kube4j.api.auth;

import static java.util.Objects.requireNonNull;

/**
 * What is being asked, as Kubernetes' {@code authorizer.Attributes}. Empty strings mean "not
 * applicable" (e.g. {@code namespace} of a cluster-scoped resource).
 *
 * @param user            who asks
 * @param verb            get, list, watch, create, update, patch, delete, deletecollection; for non-resource requests the lower-case HTTP method
 * @param resourceRequest whether this is a request for an API resource (else a path like /healthz)
 * @param apiGroup        API group, "" for core
 * @param apiVersion      API version
 * @param resource        resource plural, e.g. pods
 * @param subresource     e.g. status, or ""
 * @param namespace       namespace, or ""
 * @param name            object name, or ""
 * @param path            request path, for non-resource requests
 */
public record AuthorizationAttributes(UserInfo user, String verb, boolean resourceRequest, String apiGroup,
                                      String apiVersion, String resource, String subresource,
                                      String namespace, String name, String path) {
    public AuthorizationAttributes {
        requireNonNull(user, "user is null");
        requireNonNull(verb, "verb is null");
        requireNonNull(apiGroup, "apiGroup is null");
        requireNonNull(apiVersion, "apiVersion is null");
        requireNonNull(resource, "resource is null");
        requireNonNull(subresource, "subresource is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
    }
}
