package io.kube4j.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which protobuf message carries which apiVersion/kind. Built once from the outer classes that
 * {@code client-java-proto} generates, one per Kubernetes {@code generated.proto}, whose proto
 * package names the group and version ({@code k8s.io.api.apps.v1} is {@code apps/v1}).
 */
final class KindRegistry {
    static final String META_PACKAGE = "k8s.io.apimachinery.pkg.apis.meta.v1";
    private static final String GENERATED_PACKAGE = "io.kubernetes.client.proto";
    private static final String OBJECT_META = META_PACKAGE + ".ObjectMeta";
    private static final String LIST_META = META_PACKAGE + ".ListMeta";
    /** meta.k8s.io kinds that Kubernetes registers in every group version (and Status under v1). */
    private static final Set<String> SHARED_META_KINDS = Set.of(
            "Status", "WatchEvent", "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions",
            "GetOptions", "ListOptions", "APIVersions", "APIGroup", "APIGroupList", "APIResourceList");
    /** API groups that predate the {@code .k8s.io} suffix. */
    private static final Set<String> UNSUFFIXED_GROUPS = Set.of("apps", "batch", "autoscaling", "policy", "extensions");
    private static final Map<String, String> GROUP_NAMES = Map.of(
            "rbac", "rbac.authorization.k8s.io",
            "flowcontrol", "flowcontrol.apiserver.k8s.io",
            "apiserverinternal", "internal.apiserver.k8s.io");

    private static final KindRegistry INSTANCE = scan();

    private final Map<String, Descriptor> kinds;
    private final Map<String, Descriptor> sharedMetaKinds;

    private KindRegistry(Map<String, Descriptor> kinds, Map<String, Descriptor> sharedMetaKinds) {
        this.kinds = Map.copyOf(kinds);
        this.sharedMetaKinds = Map.copyOf(sharedMetaKinds);
    }

    static KindRegistry instance() {
        return INSTANCE;
    }

    Optional<Descriptor> find(String apiVersion, String kind) {
        Descriptor own = kinds.get(key(apiVersion, kind));
        if (own != null) {
            return Optional.of(own);
        }
        return Optional.ofNullable(sharedMetaKinds.get(kind));
    }

    /** The apiVersion of the types in a Kubernetes proto package, if it holds API types. */
    static Optional<String> apiVersionOf(String protoPackage) {
        if (protoPackage.equals(META_PACKAGE)) {
            return Optional.of("meta.k8s.io/v1");
        }
        if (protoPackage.equals("k8s.io.api.core.v1")) {
            return Optional.of("v1");
        }
        String[] parts = protoPackage.split("\\.");
        String version = parts[parts.length - 1];
        if (protoPackage.startsWith("k8s.io.api.") && parts.length == 5) {
            return Optional.of(groupName(parts[3]) + "/" + version);
        }
        if (protoPackage.startsWith("k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.")) {
            return Optional.of("apiextensions.k8s.io/" + version);
        }
        if (protoPackage.startsWith("k8s.io.kube_aggregator.pkg.apis.apiregistration.")) {
            return Optional.of("apiregistration.k8s.io/" + version);
        }
        return Optional.empty();
    }

    private static String groupName(String protoGroup) {
        if (UNSUFFIXED_GROUPS.contains(protoGroup)) {
            return protoGroup;
        }
        return GROUP_NAMES.getOrDefault(protoGroup, protoGroup + ".k8s.io");
    }

    private static KindRegistry scan() {
        Map<String, Descriptor> kinds = new HashMap<>();
        Map<String, Descriptor> shared = new HashMap<>();
        try (ScanResult scan = new ClassGraph().enableClassInfo().acceptPackagesNonRecursive(GENERATED_PACKAGE).scan()) {
            for (ClassInfo info : scan.getAllClasses()) {
                if (info.isInnerClass()) {
                    continue;
                }
                FileDescriptor file = fileDescriptor(info.loadClass());
                if (file == null) {
                    continue;
                }
                Optional<String> apiVersion = apiVersionOf(file.getPackage());
                if (apiVersion.isEmpty()) {
                    continue;
                }
                for (Descriptor message : file.getMessageTypes()) {
                    boolean sharedMeta = file.getPackage().equals(META_PACKAGE) && SHARED_META_KINDS.contains(message.getName());
                    if (sharedMeta) {
                        shared.put(message.getName(), message);
                    }
                    if (sharedMeta || isTopLevelKind(message)) {
                        kinds.put(key(apiVersion.get(), message.getName()), message);
                    }
                }
            }
        }
        return new KindRegistry(kinds, shared);
    }

    /** API objects and their lists are the messages with object or list metadata. */
    private static boolean isTopLevelKind(Descriptor message) {
        FieldDescriptor metadata = message.findFieldByName("metadata");
        if (metadata == null || metadata.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return false;
        }
        String type = metadata.getMessageType().getFullName();
        return type.equals(OBJECT_META) || type.equals(LIST_META);
    }

    private static FileDescriptor fileDescriptor(Class<?> outer) {
        try {
            Method getter = outer.getMethod("getDescriptor");
            Object file = getter.invoke(null);
            return file instanceof FileDescriptor descriptor ? descriptor : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "\n" + kind;
    }
}
