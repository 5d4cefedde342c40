package io.kube4j.apiserver.protobuf;

/** STUB until the protobuf work lands. */
public final class ProtobufException extends Exception {
    public ProtobufException(String message) {
        super(message);
    }
}
