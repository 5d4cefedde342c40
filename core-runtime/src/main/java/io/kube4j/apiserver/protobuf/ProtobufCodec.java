package io.kube4j.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Kubernetes protobuf serialization ({@value #MEDIA_TYPE}) of API objects held as JSON trees.
 *
 * <p>A body is the four bytes {@code k8s\0} followed by a {@code runtime.Unknown} envelope whose
 * {@code typeMeta} names the apiVersion and kind and whose {@code raw} holds the object's message.
 * All methods are thread safe and keep no state between calls.
 */
public final class ProtobufCodec {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final String JSON_MEDIA_TYPE = "application/json";

    private ProtobufCodec() {}

    /**
     * Decodes a request body to the JSON Kubernetes would accept for the same object, with
     * {@code apiVersion} and {@code kind} set from the envelope.
     *
     * <p>Go writes every non-pointer field, so a body from client-go carries zero values
     * ({@code ""}, {@code 0}, {@code false}) for all the fields its sender left empty. Like
     * Kubernetes' own JSON, the result leaves those out (and unset times), so that "absent means
     * default" holds; the pointer fields whose zero means something ({@code replicas: 0},
     * {@code automountServiceAccountToken: false}, {@code maxUnavailable: 0}, ...) keep it.
     * Map values and list items are always kept.
     *
     * @throws ProtobufException if the body is not a Kubernetes protobuf envelope, names a kind
     *     that has no message, or does not parse as that message
     */
    public static ObjectNode decode(byte[] body) throws ProtobufException {
        if (!hasMagic(ByteString.copyFrom(body, 0, Math.min(body.length, MAGIC.length)))) {
            throw new ProtobufException("body is not Kubernetes protobuf: it does not start with the k8s\\0 prefix");
        }
        Runtime.Unknown envelope;
        try {
            envelope = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufException("body is not a Kubernetes protobuf envelope: " + e.getMessage(), e);
        }
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new ProtobufException("protobuf envelope does not name apiVersion and kind");
        }
        if (!envelope.getContentEncoding().isEmpty()) {
            throw new ProtobufException("unsupported protobuf content encoding \"" + envelope.getContentEncoding() + "\"");
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        String contentType = envelope.getContentType();
        if (contentType.startsWith(JSON_MEDIA_TYPE)) {
            object.setAll(embeddedJsonObject(envelope.getRaw()));
            object.put("apiVersion", apiVersion);
            object.put("kind", kind);
            return object;
        }
        if (!contentType.isEmpty() && !contentType.startsWith(MEDIA_TYPE)) {
            throw new ProtobufException("unsupported protobuf content type \"" + contentType + "\"");
        }
        Descriptor type = KindRegistry.instance().find(apiVersion, kind)
                .orElseThrow(() -> new ProtobufException("no protobuf message is known for " + apiVersion + ", Kind=" + kind));
        object.setAll(JsonProtoConverter.toJsonObject(JsonProtoConverter.parse(type, envelope.getRaw())));
        return object;
    }

    /** Whether {@code apiVersion}/{@code kind} has a protobuf message, so that it can be sent and received as protobuf. */
    public static boolean supports(String apiVersion, String kind) {
        return KindRegistry.instance().find(apiVersion, kind).isPresent();
    }

    /**
     * Encodes a JSON object, which names its {@code apiVersion} and {@code kind}, to an envelope
     * body. JSON fields that the message does not have (newer than the generated messages) are
     * left out.
     *
     * @throws ProtobufException if the object names no supported kind or does not fit its message
     */
    public static byte[] encode(JsonNode object) throws ProtobufException {
        if (object == null || !object.isObject()) {
            throw new ProtobufException("only a JSON object can be encoded as protobuf");
        }
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new ProtobufException("object to encode names no apiVersion and kind");
        }
        Descriptor type = KindRegistry.instance().find(apiVersion, kind)
                .orElseThrow(() -> new ProtobufException("no protobuf message is known for " + apiVersion + ", Kind=" + kind));
        ByteString raw = JsonProtoConverter.fromJson(type, object, kind).toByteString();
        Runtime.Unknown envelope = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw)
                .setContentEncoding("")
                .setContentType("")
                .build();
        byte[] body = new byte[MAGIC.length + envelope.getSerializedSize()];
        System.arraycopy(MAGIC, 0, body, 0, MAGIC.length);
        writeTo(envelope, body, MAGIC.length);
        return body;
    }

    /**
     * One frame of a protobuf watch stream ({@code application/vnd.kubernetes.protobuf;stream=watch}):
     * a four-byte big-endian length, then a {@code meta.v1.WatchEvent} without envelope whose
     * {@code object.raw} is the object's own envelope body, as {@link #encode} writes it.
     *
     * @param type the event type: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
     */
    public static byte[] encodeWatchEvent(String type, JsonNode object) throws ProtobufException {
        Meta.WatchEvent event = Meta.WatchEvent.newBuilder()
                .setType(type)
                .setObject(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(encode(object))))
                .build();
        int length = event.getSerializedSize();
        byte[] frame = new byte[4 + length];
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        writeTo(event, frame, 4);
        return frame;
    }

    static boolean hasMagic(ByteString bytes) {
        return bytes.size() >= MAGIC.length && bytes.substring(0, MAGIC.length).equals(ByteString.copyFrom(MAGIC));
    }

    private static ObjectNode embeddedJsonObject(ByteString raw) throws ProtobufException {
        try {
            JsonNode node = JsonProtoConverter.MAPPER.readTree(raw.toString(StandardCharsets.UTF_8));
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw new ProtobufException("envelope holds invalid JSON: " + e.getMessage(), e);
        }
        throw new ProtobufException("envelope holds JSON that is not an object");
    }

    private static void writeTo(MessageLite message, byte[] target, int offset) {
        CodedOutputStream output = CodedOutputStream.newInstance(target, offset, target.length - offset);
        try {
            message.writeTo(output);
            output.checkNoSpaceLeft();
        } catch (IOException e) {
            // Writing to an array of exactly the serialized size cannot fail.
            throw new UncheckedIOException(e);
        }
    }
}
