package io.kube4j.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** STUB until the protobuf work lands. */
public final class ProtobufCodec {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private ProtobufCodec() {
    }

    public static ObjectNode decode(byte[] body) throws ProtobufException {
        throw new ProtobufException("protobuf is not supported yet");
    }

    public static boolean supports(String apiVersion, String kind) {
        return false;
    }

    public static byte[] encode(JsonNode object) throws ProtobufException {
        throw new ProtobufException("protobuf is not supported yet");
    }

    public static byte[] encodeWatchEvent(String type, JsonNode object) throws ProtobufException {
        throw new ProtobufException("protobuf is not supported yet");
    }
}
