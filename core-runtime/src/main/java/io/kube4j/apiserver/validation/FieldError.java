package io.kube4j.apiserver.validation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.POJONode;

/**
 * One validation failure, as kube-apiserver reports it in a 422 Status's {@code details.causes}.
 *
 * @param type     what kind of failure; its {@link Type#reason()} is the cause's reason
 * @param field    the path of the offending field, e.g. {@code spec.containers[0].image}
 * @param badValue the offending value; {@link MissingNode} when kube leaves it out of the message
 * @param detail   kube's explanation, possibly empty
 */
public record FieldError(Type type, String field, JsonNode badValue, String detail) {

    /** kube's field.ErrorType: the cause reason and the words that start the message body. */
    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        NOT_FOUND("FieldValueNotFound", "Not found");

        private final String reason;
        private final String description;

        Type(String reason, String description) {
            this.reason = reason;
            this.description = description;
        }

        /** The {@code reason} of a StatusCause, e.g. {@code FieldValueInvalid}. */
        public String reason() {
            return reason;
        }

        /** The words kube's message uses, e.g. {@code Invalid value}. */
        public String description() {
            return description;
        }

        boolean omitsValue() {
            return this == REQUIRED || this == FORBIDDEN || this == TOO_LONG;
        }
    }

    public FieldError {
        requireNonNull(type, "type is null");
        requireNonNull(field, "field is null");
        requireNonNull(badValue, "badValue is null");
        requireNonNull(detail, "detail is null");
    }

    /**
     * kube's message, e.g. {@code metadata.name: Invalid value: "Foo_": a lowercase RFC 1123 subdomain ...} or
     * {@code spec.containers[0].image: Required value}; the part after the field is what a StatusCause's message
     * holds.
     */
    public String message() {
        return field + ": " + body();
    }

    /** The message without the leading field, as kube puts it in {@code details.causes[].message}. */
    public String body() {
        StringBuilder out = new StringBuilder(type.description());
        if (!type.omitsValue() && !badValue.isMissingNode()) {
            out.append(": ").append(render(badValue));
        }
        if (!detail.isEmpty()) {
            out.append(": ").append(detail);
        }
        return out.toString();
    }

    private static String render(JsonNode value) {
        if (value.isTextual()) {
            return GoFormat.quote(value.asText());
        }
        if (value.isNull()) {
            return "null";
        }
        if (value instanceof POJONode pojo && pojo.getPojo() instanceof GoFormat.Literal literal) {
            return literal.text();
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        return value.toString();
    }
}
