package io.kube4j.api.event;

/** The {@code type} of a Kubernetes Event: the two values the API accepts. */
public enum EventType {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The value written to the Event's {@code type} field. */
    public String wireName() {
        return wireName;
    }
}
