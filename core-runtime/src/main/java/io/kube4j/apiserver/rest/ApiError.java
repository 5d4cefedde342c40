package io.kube4j.apiserver.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.validation.FieldError;
import java.util.List;

/**
 * A failed request, answered as a Kubernetes {@code Status} with kube-apiserver's code, reason and
 * message, so clients (kubectl, client-go, fabric8) recognise it.
 */
public final class ApiError extends RuntimeException {
    /** One {@code details.causes} entry. */
    public record Cause(String reason, String message, String field) {
    }

    private final int code;
    private final String reason;
    private final String name;
    private final String group;
    private final String kind;
    private final List<Cause> causes;
    private final int retryAfterSeconds;

    public ApiError(int code, String reason, String message, String name, String group, String kind, List<Cause> causes,
                    int retryAfterSeconds) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.name = name;
        this.group = group;
        this.kind = kind;
        this.causes = List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    private ApiError(int code, String reason, String message) {
        this(code, reason, message, "", "", "", List.of(), 0);
    }

    public int code() {
        return code;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The {@code Status} object. */
    public ObjectNode status() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", getMessage()).put("reason", reason);
        if (!name.isEmpty() || !kind.isEmpty() || !causes.isEmpty() || retryAfterSeconds > 0) {
            ObjectNode d = s.putObject("details");
            if (!name.isEmpty()) {
                d.put("name", name);
            }
            if (!group.isEmpty()) {
                d.put("group", group);
            }
            if (!kind.isEmpty()) {
                d.put("kind", kind);
            }
            if (!causes.isEmpty()) {
                var arr = d.putArray("causes");
                for (Cause c : causes) {
                    ObjectNode o = arr.addObject().put("reason", c.reason()).put("message", c.message());
                    if (!c.field().isEmpty()) {
                        o.put("field", c.field());
                    }
                }
            }
            if (retryAfterSeconds > 0) {
                d.put("retryAfterSeconds", retryAfterSeconds);
            }
        }
        s.put("code", code);
        return s;
    }

    // ---- kube-apiserver's errors, with its wording

    public static ApiError notFound(ResourceType type, String name) {
        return new ApiError(404, "NotFound", type.qualifiedName() + " \"" + name + "\" not found", name, type.group(),
                type.plural(), List.of(), 0);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "NotFound", message);
    }

    public static ApiError alreadyExists(ResourceType type, String name) {
        return new ApiError(409, "AlreadyExists", type.qualifiedName() + " \"" + name + "\" already exists", name,
                type.group(), type.plural(), List.of(), 0);
    }

    public static ApiError conflict(ResourceType type, String name, String why) {
        return new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedName() + " \"" + name
                + "\": " + why, name, type.group(), type.plural(), List.of(), 0);
    }

    public static ApiError staleVersion(ResourceType type, String name) {
        return conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");
    }

    public static ApiError invalid(ResourceType type, String name, List<FieldError> errors) {
        String list = errors.size() == 1 ? errors.get(0).message()
                : "[" + String.join(", ", errors.stream().map(FieldError::message).toList()) + "]";
        List<Cause> causes = errors.stream()
                .map(e -> new Cause(e.type().reason(), causeMessage(e), e.field())).toList();
        return new ApiError(422, "Invalid", type.kind() + " \"" + name + "\" is invalid: " + list, name, type.group(),
                type.kind(), causes, 0);
    }

    private static String causeMessage(FieldError e) {
        String full = e.message();
        String prefix = e.field() + ": ";
        return full.startsWith(prefix) ? full.substring(prefix.length()) : full;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message);
    }

    public static ApiError gone(String message) {
        return new ApiError(410, "Expired", message);
    }

    public static ApiError unauthorized() {
        return new ApiError(401, "Unauthorized", "Unauthorized");
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "Forbidden", message);
    }

    public static ApiError forbidden(ResourceType type, String name, String message) {
        return new ApiError(403, "Forbidden", message, name, type.group(), type.plural(), List.of(), 0);
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "MethodNotAllowed", message);
    }

    public static ApiError notAcceptable(String message) {
        return new ApiError(406, "NotAcceptable", message);
    }

    public static ApiError unsupportedMediaType(String contentType) {
        return new ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf"
                + (contentType.isEmpty() ? "" : " (got " + contentType + ")"));
    }

    public static ApiError tooLarge(long limit) {
        return new ApiError(413, "RequestEntityTooLarge", "Request entity too large: limit is " + limit);
    }

    public static ApiError tooManyRequests() {
        return new ApiError(429, "TooManyRequests", "Too many requests, please try again later.", "", "", "",
                List.of(), 1);
    }

    public static ApiError internal(String message) {
        return new ApiError(500, "InternalError", "Internal error occurred: " + message);
    }

    public static ApiError unavailable(String message) {
        return new ApiError(503, "ServiceUnavailable", message);
    }

    public static ApiError timeout(String message) {
        return new ApiError(504, "Timeout", message);
    }

    public static ApiError withCode(int code, String reason, String message) {
        return new ApiError(code, reason, message);
    }
}
