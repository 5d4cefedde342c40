package io.kube4j.apiserver.validation;

import com.fasterxml.jackson.databind.JsonNode;

/** STUB until the validation work lands. */
public record FieldError(Type type, String field, JsonNode badValue, String detail) {
    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"), INVALID("FieldValueInvalid", "Invalid value");

        private final String reason;
        private final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }

        public String reason() {
            return reason;
        }
    }

    public String message() {
        return field + ": " + type.text + (detail.isEmpty() ? "" : ": " + detail);
    }
}
