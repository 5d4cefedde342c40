package io.kube4j.apiserver.patch;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shape of a value inside a Kubernetes object, as far as patching needs it: which members are
 * structs, which are free-form maps, and how each list merges. Struct layouts are read once per class
 * from the fabric8 model by Jackson introspection; list strategies come from {@link #LISTS}, because the
 * fabric8 model does not carry Kubernetes' patch tags. Kinds without a model class (custom resources)
 * get {@link #ANY} below {@code metadata}: maps merge, lists are atomic.
 */
final class Schema {
    enum Shape { STRUCT, MAP, LIST, SCALAR, ANY }

    static final Schema ANY = new Schema(Shape.ANY, null, null, ListMeta.ATOMIC, false);
    private static final Schema SCALAR = new Schema(Shape.SCALAR, null, null, ListMeta.ATOMIC, false);

    private static final String MODEL = "io.fabric8.kubernetes.api.model";

    /**
     * List strategies by {@code <fabric8 simple class name>.<json field>}, following the Go types'
     * {@code patchStrategy}, {@code patchMergeKey}, {@code listType} and {@code listMapKey} tags.
     * Lists not named here are atomic (replaced), except status conditions, see {@link #listMeta}.
     */
    static final Map<String, ListMeta> LISTS = Map.ofEntries(
            Map.entry("ObjectMeta.finalizers", ListMeta.scalarSet()),
            Map.entry("ObjectMeta.ownerReferences", ListMeta.byKey("uid")),
            Map.entry("PodSpec.containers", ListMeta.byKey("name")),
            Map.entry("PodSpec.initContainers", ListMeta.byKey("name")),
            Map.entry("PodSpec.ephemeralContainers", ListMeta.byKey("name")),
            Map.entry("PodSpec.volumes", ListMeta.byKey("name")),
            Map.entry("PodSpec.imagePullSecrets", ListMeta.byKey("name")),
            Map.entry("PodSpec.hostAliases", ListMeta.byKey("ip")),
            Map.entry("PodSpec.topologySpreadConstraints", ListMeta.byKeys("topologyKey", "topologyKey", "whenUnsatisfiable")),
            Map.entry("PodSpec.resourceClaims", ListMeta.byKey("name")),
            Map.entry("PodSpec.schedulingGates", ListMeta.byKey("name")),
            Map.entry("Container.ports", ListMeta.ports("containerPort")),
            Map.entry("Container.env", ListMeta.byKey("name")),
            Map.entry("Container.volumeMounts", ListMeta.byKey("mountPath")),
            Map.entry("Container.volumeDevices", ListMeta.byKey("devicePath")),
            Map.entry("EphemeralContainer.ports", ListMeta.ports("containerPort")),
            Map.entry("EphemeralContainer.env", ListMeta.byKey("name")),
            Map.entry("EphemeralContainer.volumeMounts", ListMeta.byKey("mountPath")),
            Map.entry("EphemeralContainer.volumeDevices", ListMeta.byKey("devicePath")),
            Map.entry("PodStatus.podIPs", ListMeta.byKey("ip")),
            Map.entry("PodStatus.hostIPs", ListMeta.byKey("ip")),
            Map.entry("ServiceSpec.ports", ListMeta.ports("port")),
            Map.entry("ServiceAccount.secrets", ListMeta.byKey("name")),
            Map.entry("NodeSpec.podCIDRs", ListMeta.scalarSet()),
            Map.entry("NodeStatus.addresses", ListMeta.byKey("type")));

    /** Structs that server-side apply owns as a whole ({@code +structType=atomic}). */
    private static final Set<String> ATOMIC_STRUCTS = Set.of("LabelSelector", "LocalObjectReference", "ObjectReference");

    /** Model classes that serialize as a scalar. */
    private static final Set<String> SCALAR_CLASSES = Set.of(MODEL + ".IntOrString", MODEL + ".Quantity", MODEL + ".MicroTime", MODEL + ".Duration");

    /** fabric8 package of each API group; a version-less package holds a single version. */
    private static final Map<String, String> GROUP_PACKAGES = Map.ofEntries(
            Map.entry("", MODEL),
            Map.entry("apps", MODEL + ".apps"),
            Map.entry("rbac.authorization.k8s.io", MODEL + ".rbac"),
            Map.entry("batch", MODEL + ".batch.%s"),
            Map.entry("networking.k8s.io", MODEL + ".networking.%s"),
            Map.entry("policy", MODEL + ".policy.%s"),
            Map.entry("autoscaling", MODEL + ".autoscaling.%s"),
            Map.entry("coordination.k8s.io", MODEL + ".coordination.%s"),
            Map.entry("discovery.k8s.io", MODEL + ".discovery.%s"),
            Map.entry("events.k8s.io", MODEL + ".events.%s"),
            Map.entry("scheduling.k8s.io", MODEL + ".scheduling.%s"),
            Map.entry("admissionregistration.k8s.io", MODEL + ".admissionregistration.%s"),
            Map.entry("apiextensions.k8s.io", MODEL + ".apiextensions.%s"),
            Map.entry("storage.k8s.io", MODEL + ".storage"),
            Map.entry("certificates.k8s.io", MODEL + ".certificates.%s"),
            Map.entry("node.k8s.io", MODEL + ".node.%s"));

    private static final Map<Class<?>, Schema> STRUCTS = new ConcurrentHashMap<>();
    private static final Map<String, Schema> KINDS = new ConcurrentHashMap<>();
    private static final Schema UNKNOWN_KIND = unknownKind();

    private final Shape shape;
    private final Class<?> type;
    private final Schema element;
    private final ListMeta list;
    private final boolean atomicStruct;
    private volatile Map<String, Schema> fields;

    private Schema(Shape shape, Class<?> type, Schema element, ListMeta list, boolean atomicStruct) {
        this.shape = shape;
        this.type = type;
        this.element = element;
        this.list = list;
        this.atomicStruct = atomicStruct;
    }

    /** The schema of whole objects of a kind; kinds without a model class get metadata only. */
    static Schema forKind(String apiVersion, String kind) {
        return KINDS.computeIfAbsent(apiVersion + "/" + kind, k -> modelClass(apiVersion, kind).map(Schema::struct).orElse(UNKNOWN_KIND));
    }

    private static Schema unknownKind() {
        Schema schema = new Schema(Shape.STRUCT, Object.class, null, ListMeta.ATOMIC, false);
        Map<String, Schema> fields = new HashMap<>();
        fields.put("metadata", struct(ObjectMeta.class));
        schema.fields = fields;
        return schema;
    }

    private static Optional<Class<?>> modelClass(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        String pkg = GROUP_PACKAGES.get(group);
        if (pkg == null || kind.isEmpty()) {
            return Optional.empty();
        }
        try {
            Class<?> c = Class.forName(pkg.formatted(version) + "." + kind, false, Schema.class.getClassLoader());
            return HasMetadata.class.isAssignableFrom(c) ? Optional.of(c) : Optional.empty();
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    private static Schema struct(Class<?> c) {
        return STRUCTS.computeIfAbsent(c, k -> new Schema(Shape.STRUCT, k, null, ListMeta.ATOMIC, ATOMIC_STRUCTS.contains(k.getSimpleName())));
    }

    private static Schema of(JavaType t, ListMeta listMeta) {
        if (t.isArrayType() || t.isCollectionLikeType()) {
            return new Schema(Shape.LIST, null, of(t.getContentType(), ListMeta.ATOMIC), listMeta, false);
        }
        if (t.isMapLikeType()) {
            return new Schema(Shape.MAP, null, of(t.getContentType(), ListMeta.ATOMIC), ListMeta.ATOMIC, false);
        }
        Class<?> raw = t.getRawClass();
        if (raw.getName().startsWith(MODEL + ".") && !raw.isEnum() && !SCALAR_CLASSES.contains(raw.getName())) {
            return struct(raw);
        }
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return ANY;
        }
        return SCALAR;
    }

    Shape shape() {
        return shape;
    }

    /** For lists, how they merge. */
    ListMeta list() {
        return list;
    }

    /** For structs, whether server-side apply owns them as a whole. */
    boolean atomicStruct() {
        return atomicStruct;
    }

    /** A member of an object: a struct's field, a map's value; {@link #ANY} when unknown. */
    Schema field(String name) {
        return switch (shape) {
            case MAP -> element;
            case STRUCT -> fields().getOrDefault(name, ANY);
            default -> ANY;
        };
    }

    /** The element of a list; {@link #ANY} when unknown. */
    Schema element() {
        return shape == Shape.LIST ? element : ANY;
    }

    private Map<String, Schema> fields() {
        Map<String, Schema> f = fields;
        if (f == null) {
            f = new HashMap<>();
            JavaType javaType = Json.MAPPER.constructType(type);
            List<BeanPropertyDefinition> props = Json.MAPPER.getSerializationConfig().introspect(javaType).findProperties();
            for (BeanPropertyDefinition p : props) {
                f.put(p.getName(), of(p.getPrimaryType(), listMeta(type, p.getName(), p.getPrimaryType())));
            }
            fields = f;
        }
        return f;
    }

    private static ListMeta listMeta(Class<?> owner, String field, JavaType fieldType) {
        ListMeta meta = LISTS.get(owner.getSimpleName() + "." + field);
        if (meta != null) {
            return meta;
        }
        // Every condition list of a built-in status (PodStatus, DeploymentStatus, NodeStatus, JobStatus, ...)
        // merges by type.
        if (field.equals("conditions") && owner.getSimpleName().endsWith("Status") && fieldType.getContentType() != null
                && hasProperty(fieldType.getContentType(), "type")) {
            return ListMeta.byKey("type");
        }
        return ListMeta.ATOMIC;
    }

    private static boolean hasProperty(JavaType t, String name) {
        return Json.MAPPER.getSerializationConfig().introspect(t).findProperties().stream().anyMatch(p -> p.getName().equals(name));
    }
}
