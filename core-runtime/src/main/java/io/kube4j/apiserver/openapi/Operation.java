package io.kube4j.apiserver.openapi;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.resource.ResourceType;
import java.util.List;

/**
 * One HTTP operation on one path, independent of the OpenAPI version it is written in.
 *
 * @param method        get, post, put, patch, delete
 * @param action        x-kubernetes-action: get, list, create, update, patch, delete, deletecollection
 * @param operationId   e.g. readCoreV1NamespacedPod
 * @param type          the resource operated on
 * @param queryParams   names of the query parameters, each known to {@link Parameters}
 * @param body          definition name of the request body, "" for none
 * @param response      definition name of the 200 response
 */
record Operation(String method, String action, String operationId, ResourceType type, List<String> queryParams,
                 String body, String response) {
    Operation {
        requireNonNull(method, "method is null");
        requireNonNull(action, "action is null");
        requireNonNull(operationId, "operationId is null");
        requireNonNull(type, "type is null");
        queryParams = List.copyOf(queryParams);
        requireNonNull(body, "body is null");
        requireNonNull(response, "response is null");
    }
}
