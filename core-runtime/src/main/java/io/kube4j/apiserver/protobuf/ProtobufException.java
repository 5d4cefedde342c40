package io.kube4j.apiserver.protobuf;

/** A body that is not valid Kubernetes protobuf, or an object that cannot be encoded as such; the message is fit for a 400 answer. */
public final class ProtobufException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtobufException(String message) {
        super(message);
    }

    public ProtobufException(String message, Throwable cause) {
        super(message, cause);
    }
}
