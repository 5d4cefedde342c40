package io.kube4j.apiserver.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts between Kubernetes protobuf messages and their JSON form by walking descriptors.
 * Kubernetes names proto fields after the JSON fields, so most of the work is generic; the
 * messages whose JSON form is not an object (Quantity, IntOrString, Time, ...) and the Go
 * structs embedded with {@code json:",inline"} are the exceptions handled here.
 */
final class JsonProtoConverter {
    private static final String META = KindRegistry.META_PACKAGE;
    private static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    private static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    private static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";
    private static final String TIME = META + ".Time";
    private static final String MICRO_TIME = META + ".MicroTime";
    private static final String DURATION = META + ".Duration";
    private static final String FIELDS_V1 = META + ".FieldsV1";

    /** Fields of Go structs embedded with {@code json:",inline"}: their fields sit in the parent's JSON object. */
    private static final Set<String> INLINE_FIELD_NAMES = Set.of(
            "volumeSource", "persistentVolumeSource", "ephemeralContainerCommon", "ingressRuleValue",
            "localObjectReference", "ruleWithOperations");
    /** Inline fields whose name alone is too common to decide, told by the type they hold. */
    private static final Map<String, String> INLINE_FIELD_TYPES = Map.of(
            "handler", "ProbeHandler",
            "rule", "Rule");
    /** Proto field names that keep a capital in JSON too; other capitalised proto names are lower-cased. */
    private static final Set<String> CAPITALISED_JSON_NAMES = Set.of("k8s.io.api.core.v1.DaemonEndpoint.Port");

    /**
     * Fields that keep a zero (0, false, "", an int IntOrString) when decoded: pointer fields whose
     * zero differs from unset, and a few that Kubernetes' JSON always shows (ready, allowed, exitCode).
     */
    private static final Set<String> MEANINGFUL_ZERO_FIELDS = Set.of(
            "replicas", "parallelism", "completions", "backoffLimit", "backoffLimitPerIndex", "maxFailedIndexes",
            "activeDeadlineSeconds", "ttlSecondsAfterFinished", "terminationGracePeriodSeconds", "gracePeriodSeconds",
            "deletionGracePeriodSeconds", "revisionHistoryLimit", "progressDeadlineSeconds", "startingDeadlineSeconds",
            "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "runAsUser", "runAsGroup", "fsGroup",
            "expirationSeconds", "priority", "defaultMode", "mode", "partition", "tolerationSeconds", "exitCode",
            "maxUnavailable", "maxSurge", "minAvailable",
            "automountServiceAccountToken", "enableServiceLinks", "runAsNonRoot", "privileged", "allowPrivilegeEscalation",
            "readOnlyRootFilesystem", "optional", "immutable", "suspend", "hostUsers", "setHostnameAsFQDN",
            "shareProcessNamespace", "allocateLoadBalancerNodePorts", "orphanDependents", "manualSelector", "started",
            "ready", "allowed", "storageClassName");

    private static final DateTimeFormatter TIME_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICRO_TIME_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<Descriptor, Shape> SHAPES = new ConcurrentHashMap<>();

    private JsonProtoConverter() {}

    /** How one message's fields appear in JSON. */
    private record Shape(
            Map<String, FieldDescriptor> byJsonName,
            Map<FieldDescriptor, String> jsonNames,
            Set<FieldDescriptor> inlineFields,
            Map<String, FieldDescriptor> inlineRouting) {}

    /** The JSON object of a message that is an object in JSON. */
    static ObjectNode toJsonObject(Message message) throws ProtobufException {
        JsonNode node = toJson(message);
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new ProtobufException(message.getDescriptorForType().getFullName() + " is not a JSON object");
    }

    /** The JSON value of a message, or null when Kubernetes would leave it out (an unset Time). */
    static JsonNode toJson(Message message) throws ProtobufException {
        Descriptor type = message.getDescriptorForType();
        switch (type.getFullName()) {
            case QUANTITY:
                return NODES.textNode(stringField(message, "string"));
            case INT_OR_STRING:
                return intOrStringToJson(message);
            case TIME:
                return timeToJson(message, TIME_FORMAT);
            case MICRO_TIME:
                return timeToJson(message, MICRO_TIME_FORMAT);
            case DURATION:
                return NODES.textNode(GoDuration.format(longField(message, "duration")));
            case RAW_EXTENSION:
                return embeddedToJson(bytesField(message, "raw"));
            case FIELDS_V1:
                return embeddedToJson(bytesField(message, "Raw"));
            default:
                break;
        }
        if (isEmbeddedJson(type)) {
            return embeddedToJson(bytesField(message, "raw"));
        }
        if (isStringArray(type)) {
            ArrayNode array = NODES.arrayNode();
            FieldDescriptor items = type.getFields().get(0);
            for (int i = 0; i < message.getRepeatedFieldCount(items); i++) {
                array.add((String) message.getRepeatedField(items, i));
            }
            return array;
        }
        ObjectNode object = NODES.objectNode();
        Shape shape = shape(type);
        for (FieldDescriptor field : type.getFields()) {
            if (field.isRepeated() ? message.getRepeatedFieldCount(field) == 0 : !message.hasField(field)) {
                continue;
            }
            if (isZeroToOmit(message, field, shape.jsonNames().get(field))) {
                continue;
            }
            if (shape.inlineFields().contains(field)) {
                JsonNode inline = toJson((Message) message.getField(field));
                if (inline instanceof ObjectNode inlineObject) {
                    object.setAll(inlineObject);
                }
                continue;
            }
            JsonNode value = fieldToJson(message, field);
            if (value != null) {
                object.set(shape.jsonNames().get(field), value);
            }
        }
        return object;
    }

    /**
     * Go writes every non-pointer field, empty or not, so a present zero usually means "not set";
     * Kubernetes defaults such fields when they are zero, and its JSON leaves them out. Only the
     * pointer fields whose zero means something else than unset keep it.
     */
    private static boolean isZeroToOmit(Message message, FieldDescriptor field, String jsonName) {
        if (field.isRepeated() || MEANINGFUL_ZERO_FIELDS.contains(jsonName)) {
            return false;
        }
        Object value = message.getField(field);
        return switch (field.getJavaType()) {
            case MESSAGE -> {
                Message inner = (Message) value;
                yield inner.getDescriptorForType().getFullName().equals(INT_OR_STRING)
                        && longField(inner, "type") == 0
                        && longField(inner, "intVal") == 0;
            }
            case INT, LONG, FLOAT, DOUBLE -> ((Number) value).doubleValue() == 0;
            case BOOLEAN -> !((Boolean) value);
            case STRING -> ((String) value).isEmpty();
            case BYTE_STRING -> ((ByteString) value).isEmpty();
            case ENUM -> false;
        };
    }

    private static JsonNode fieldToJson(Message message, FieldDescriptor field) throws ProtobufException {
        if (field.isMapField()) {
            ObjectNode map = NODES.objectNode();
            Descriptor entryType = field.getMessageType();
            FieldDescriptor keyField = entryType.findFieldByName("key");
            FieldDescriptor valueField = entryType.findFieldByName("value");
            for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
                Message entry = (Message) message.getRepeatedField(field, i);
                JsonNode value = singleToJson(valueField, entry.getField(valueField));
                map.set(String.valueOf(entry.getField(keyField)), value == null ? NODES.nullNode() : value);
            }
            return map;
        }
        if (field.isRepeated()) {
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
                JsonNode value = singleToJson(field, message.getRepeatedField(field, i));
                array.add(value == null ? NODES.nullNode() : value);
            }
            return array;
        }
        return singleToJson(field, message.getField(field));
    }

    private static JsonNode singleToJson(FieldDescriptor field, Object value) throws ProtobufException {
        return switch (field.getJavaType()) {
            case MESSAGE -> toJson((Message) value);
            case INT -> isUnsigned(field)
                    ? NODES.numberNode(Integer.toUnsignedLong((Integer) value))
                    : NODES.numberNode((Integer) value);
            case LONG -> isUnsigned(field)
                    ? NODES.numberNode(new BigInteger(Long.toUnsignedString((Long) value)))
                    : longNode((Long) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case STRING -> NODES.textNode((String) value);
            case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> NODES.textNode(value.toString());
        };
    }

    /** Small longs become int nodes, as Jackson parses them, so that decoded trees equal parsed ones. */
    private static JsonNode longNode(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static JsonNode intOrStringToJson(Message message) {
        long type = longField(message, "type");
        if (type == 1) {
            return NODES.textNode(stringField(message, "strVal"));
        }
        Descriptor descriptor = message.getDescriptorForType();
        return NODES.numberNode((Integer) message.getField(descriptor.findFieldByName("intVal")));
    }

    private static JsonNode timeToJson(Message message, DateTimeFormatter format) {
        Descriptor type = message.getDescriptorForType();
        FieldDescriptor seconds = type.findFieldByName("seconds");
        FieldDescriptor nanos = type.findFieldByName("nanos");
        // Go writes the zero time as an empty message; Kubernetes' JSON has no time there.
        if (!message.hasField(seconds) && !message.hasField(nanos)) {
            return null;
        }
        Instant instant = Instant.ofEpochSecond((Long) message.getField(seconds), (Integer) message.getField(nanos));
        return NODES.textNode(format.format(instant));
    }

    private static JsonNode embeddedToJson(ByteString raw) throws ProtobufException {
        if (raw.isEmpty()) {
            return null;
        }
        if (ProtobufCodec.hasMagic(raw)) {
            return ProtobufCodec.decode(raw.toByteArray());
        }
        try {
            return MAPPER.readTree(raw.newInput());
        } catch (IOException e) {
            throw new ProtobufException("embedded object is neither JSON nor Kubernetes protobuf: " + e.getMessage(), e);
        }
    }


    /** Builds a message of the given type from its JSON value; unknown JSON fields are ignored. */
    static Message fromJson(Descriptor type, JsonNode json, String path) throws ProtobufException {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        switch (type.getFullName()) {
            case QUANTITY:
                return builder.setField(type.findFieldByName("string"), scalarText(json, path)).build();
            case INT_OR_STRING:
                return intOrStringFromJson(builder, json, path);
            case TIME:
            case MICRO_TIME:
                return timeFromJson(builder, json, path);
            case DURATION:
                try {
                    return builder.setField(type.findFieldByName("duration"), GoDuration.parse(scalarText(json, path))).build();
                } catch (IllegalArgumentException e) {
                    throw new ProtobufException(path + ": " + e.getMessage(), e);
                }
            case RAW_EXTENSION:
                return builder.setField(type.findFieldByName("raw"), embeddedFromJson(json, path)).build();
            case FIELDS_V1:
                return builder.setField(type.findFieldByName("Raw"), embeddedFromJson(json, path)).build();
            default:
                break;
        }
        if (isEmbeddedJson(type)) {
            return builder.setField(type.findFieldByName("raw"), embeddedFromJson(json, path)).build();
        }
        if (isStringArray(type)) {
            FieldDescriptor items = type.getFields().get(0);
            for (JsonNode item : requireArray(json, path)) {
                builder.addRepeatedField(items, scalarText(item, path + "[]"));
            }
            return builder.build();
        }
        if (!json.isObject()) {
            throw new ProtobufException(path + ": expected an object, got " + json.getNodeType());
        }
        Shape shape = shape(type);
        Map<FieldDescriptor, ObjectNode> inlineParts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            if (property.getValue().isNull()) {
                continue;
            }
            String name = property.getKey();
            FieldDescriptor field = shape.byJsonName().get(name);
            if (field != null) {
                setField(builder, field, property.getValue(), path + "." + name);
                continue;
            }
            FieldDescriptor inline = shape.inlineRouting().get(name);
            if (inline != null) {
                inlineParts.computeIfAbsent(inline, f -> NODES.objectNode()).set(name, property.getValue());
            }
        }
        for (Map.Entry<FieldDescriptor, ObjectNode> part : inlineParts.entrySet()) {
            builder.setField(part.getKey(), fromJson(part.getKey().getMessageType(), part.getValue(), path));
        }
        return builder.build();
    }

    private static void setField(DynamicMessage.Builder builder, FieldDescriptor field, JsonNode value, String path)
            throws ProtobufException {
        if (field.isMapField()) {
            if (!value.isObject()) {
                throw new ProtobufException(path + ": expected an object, got " + value.getNodeType());
            }
            Descriptor entryType = field.getMessageType();
            FieldDescriptor keyField = entryType.findFieldByName("key");
            FieldDescriptor valueField = entryType.findFieldByName("value");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                DynamicMessage.Builder entryBuilder = DynamicMessage.newBuilder(entryType);
                entryBuilder.setField(keyField, scalarFromJson(keyField, NODES.textNode(entry.getKey()), path));
                if (!entry.getValue().isNull()) {
                    entryBuilder.setField(valueField, singleFromJson(valueField, entry.getValue(), path + "." + entry.getKey()));
                }
                builder.addRepeatedField(field, entryBuilder.build());
            }
            return;
        }
        if (field.isRepeated()) {
            int index = 0;
            for (JsonNode item : requireArray(value, path)) {
                if (!item.isNull()) {
                    builder.addRepeatedField(field, singleFromJson(field, item, path + "[" + index + "]"));
                }
                index++;
            }
            return;
        }
        builder.setField(field, singleFromJson(field, value, path));
    }

    private static Object singleFromJson(FieldDescriptor field, JsonNode value, String path) throws ProtobufException {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return fromJson(field.getMessageType(), value, path);
        }
        return scalarFromJson(field, value, path);
    }

    private static Object scalarFromJson(FieldDescriptor field, JsonNode value, String path) throws ProtobufException {
        try {
            return switch (field.getJavaType()) {
                case INT -> isUnsigned(field)
                        ? (int) integral(value, path, 0, 0xFFFF_FFFFL)
                        : (int) integral(value, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case LONG -> isUnsigned(field)
                        ? integral(value, path, 0, Long.MAX_VALUE)
                        : integral(value, path, Long.MIN_VALUE, Long.MAX_VALUE);
                case FLOAT -> (float) decimal(value, path);
                case DOUBLE -> decimal(value, path);
                case BOOLEAN -> bool(value, path);
                case STRING -> scalarText(value, path);
                case BYTE_STRING -> ByteString.copyFrom(Base64.getMimeDecoder().decode(scalarText(value, path)));
                case ENUM -> {
                    var constant = field.getEnumType().findValueByName(scalarText(value, path));
                    if (constant == null) {
                        throw new ProtobufException(path + ": unknown value " + value);
                    }
                    yield constant;
                }
                case MESSAGE -> throw new IllegalStateException("message field " + field.getFullName());
            };
        } catch (IllegalArgumentException e) {
            throw new ProtobufException(path + ": " + e.getMessage(), e);
        }
    }

    private static boolean isUnsigned(FieldDescriptor field) {
        return switch (field.getType()) {
            case UINT32, FIXED32, UINT64, FIXED64 -> true;
            default -> false;
        };
    }

    private static long integral(JsonNode value, String path, long min, long max) throws ProtobufException {
        long result;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            result = value.longValue();
        } else if (value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue())) {
            result = (long) value.doubleValue();
        } else if (value.isTextual()) {
            try {
                result = Long.parseLong(value.textValue());
            } catch (NumberFormatException e) {
                throw new ProtobufException(path + ": expected an integer, got \"" + value.textValue() + "\"", e);
            }
        } else {
            throw new ProtobufException(path + ": expected an integer, got " + value.getNodeType());
        }
        if (result < min || result > max) {
            throw new ProtobufException(path + ": " + result + " is out of range");
        }
        return result;
    }

    private static double decimal(JsonNode value, String path) throws ProtobufException {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.textValue());
            } catch (NumberFormatException e) {
                throw new ProtobufException(path + ": expected a number, got \"" + value.textValue() + "\"", e);
            }
        }
        throw new ProtobufException(path + ": expected a number, got " + value.getNodeType());
    }

    private static boolean bool(JsonNode value, String path) throws ProtobufException {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))) {
            return Boolean.parseBoolean(value.textValue());
        }
        throw new ProtobufException(path + ": expected a boolean, got " + value);
    }

    private static String scalarText(JsonNode value, String path) throws ProtobufException {
        if (value.isValueNode() && !value.isNull()) {
            return value.asText();
        }
        throw new ProtobufException(path + ": expected a string, got " + value.getNodeType());
    }

    private static Iterable<JsonNode> requireArray(JsonNode value, String path) throws ProtobufException {
        if (!value.isArray()) {
            throw new ProtobufException(path + ": expected an array, got " + value.getNodeType());
        }
        return value;
    }

    private static Message intOrStringFromJson(DynamicMessage.Builder builder, JsonNode json, String path)
            throws ProtobufException {
        Descriptor type = builder.getDescriptorForType();
        if (json.isIntegralNumber()) {
            return builder.setField(type.findFieldByName("type"), 0L)
                    .setField(type.findFieldByName("intVal"), (int) integral(json, path, Integer.MIN_VALUE, Integer.MAX_VALUE))
                    .build();
        }
        return builder.setField(type.findFieldByName("type"), 1L)
                .setField(type.findFieldByName("strVal"), scalarText(json, path))
                .build();
    }

    private static Message timeFromJson(DynamicMessage.Builder builder, JsonNode json, String path) throws ProtobufException {
        Descriptor type = builder.getDescriptorForType();
        String text = scalarText(json, path);
        if (text.isEmpty()) {
            // Go's zero time, as some clients write it instead of null.
            return builder.build();
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProtobufException(path + ": \"" + text + "\" is not an RFC 3339 time", e);
        }
        long nanos = instant.getNano();
        if (type.getFullName().equals(MICRO_TIME)) {
            nanos = nanos / 1000 * 1000;
        }
        return builder.setField(type.findFieldByName("seconds"), instant.getEpochSecond())
                .setField(type.findFieldByName("nanos"), (int) nanos)
                .build();
    }

    private static ByteString embeddedFromJson(JsonNode json, String path) throws ProtobufException {
        try {
            return ByteString.copyFrom(MAPPER.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new ProtobufException(path + ": cannot write embedded JSON: " + e.getMessage(), e);
        }
    }


    /** Go's {@code []string} types (Verbs, ExtraValue) are wrapped in a message of one repeated string. */
    private static boolean isStringArray(Descriptor type) {
        List<FieldDescriptor> fields = type.getFields();
        return fields.size() == 1
                && fields.get(0).getName().equals("items")
                && fields.get(0).isRepeated()
                && fields.get(0).getJavaType() == FieldDescriptor.JavaType.STRING;
    }

    /** apiextensions' {@code JSON} holds arbitrary JSON as raw bytes, like RawExtension. */
    private static boolean isEmbeddedJson(Descriptor type) {
        List<FieldDescriptor> fields = type.getFields();
        return type.getName().equals("JSON")
                && fields.size() == 1
                && fields.get(0).getName().equals("raw")
                && fields.get(0).getType() == FieldDescriptor.Type.BYTES;
    }

    private static boolean isInline(FieldDescriptor field) {
        if (field.isRepeated() || field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return false;
        }
        String typeName = INLINE_FIELD_TYPES.get(field.getName());
        return INLINE_FIELD_NAMES.contains(field.getName()) || field.getMessageType().getName().equals(typeName);
    }

    private static Shape shape(Descriptor type) {
        Shape shape = SHAPES.get(type);
        if (shape == null) {
            // Computed outside the map: building a shape needs the shapes of inline types first.
            shape = buildShape(type);
            SHAPES.putIfAbsent(type, shape);
        }
        return shape;
    }

    private static Shape buildShape(Descriptor type) {
        Map<String, FieldDescriptor> byJsonName = new HashMap<>();
        Map<FieldDescriptor, String> jsonNames = new HashMap<>();
        Set<FieldDescriptor> inlineFields = new HashSet<>();
        for (FieldDescriptor field : type.getFields()) {
            String jsonName = jsonName(field);
            jsonNames.put(field, jsonName);
            byJsonName.put(jsonName, field);
            if (isInline(field)) {
                inlineFields.add(field);
            }
        }
        Map<String, FieldDescriptor> inlineRouting = new HashMap<>();
        for (FieldDescriptor inline : inlineFields) {
            Shape inner = shape(inline.getMessageType());
            for (String name : inner.byJsonName().keySet()) {
                if (!byJsonName.containsKey(name)) {
                    inlineRouting.putIfAbsent(name, inline);
                }
            }
            for (String name : inner.inlineRouting().keySet()) {
                if (!byJsonName.containsKey(name)) {
                    inlineRouting.putIfAbsent(name, inline);
                }
            }
        }
        return new Shape(Map.copyOf(byJsonName), Map.copyOf(jsonNames), Set.copyOf(inlineFields), Map.copyOf(inlineRouting));
    }

    private static String jsonName(FieldDescriptor field) {
        String name = field.getName();
        if (name.isEmpty() || Character.isLowerCase(name.charAt(0)) || CAPITALISED_JSON_NAMES.contains(field.getFullName())) {
            return name;
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String stringField(Message message, String name) {
        return (String) message.getField(message.getDescriptorForType().findFieldByName(name));
    }

    private static long longField(Message message, String name) {
        return ((Number) message.getField(message.getDescriptorForType().findFieldByName(name))).longValue();
    }

    private static ByteString bytesField(Message message, String name) {
        return (ByteString) message.getField(message.getDescriptorForType().findFieldByName(name));
    }

    static Message parse(Descriptor type, ByteString raw) throws ProtobufException {
        try {
            return DynamicMessage.parseFrom(type, raw);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtobufException("body is not a valid " + type.getName() + " message: " + e.getMessage(), e);
        }
    }
}
