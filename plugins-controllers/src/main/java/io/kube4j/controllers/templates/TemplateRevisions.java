package io.kube4j.controllers.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.kube4j.api.client.HttpApiClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ControllerRevisions of a pod template, as the StatefulSet and DaemonSet controllers keep them
 * (kube's {@code controller/history}): controlled by their workload, numbered by {@code revision},
 * and holding in {@code data} the strategic merge patch that puts the template back
 * ({@code {"spec":{"template":{..., "$patch":"replace"}}}}, what {@code kubectl rollout undo} applies).
 */
public final class TemplateRevisions {
    private static final ObjectMapper JSON = HttpApiClient.mapper();
    /** Lowest revision first, then the older, then by name. */
    private static final Comparator<ControllerRevision> ORDER = Comparator
            .comparing((ControllerRevision r) -> r.getRevision() == null ? 0L : r.getRevision())
            .thenComparing(r -> Objects.toString(r.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(r -> r.getMetadata().getName());

    private TemplateRevisions() {
    }

    /** The revisions of {@code revisions} controlled by the object with {@code uid}, lowest revision first. */
    public static List<ControllerRevision> controlledBy(List<ControllerRevision> revisions, String uid) {
        return revisions.stream()
                .filter(r -> r.getMetadata().getOwnerReferences() != null && r.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && uid.equals(o.getUid())))
                .sorted(ORDER).toList();
    }

    /** {@code {"spec":{"template":{...template, "$patch":"replace"}}}}: the template a revision puts back. */
    public static Map<String, Object> patchOf(PodTemplateSpec template) {
        ObjectNode t = JSON.valueToTree(template);
        t.put("$patch", "replace");
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("spec").set("template", t);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = JSON.convertValue(patch, Map.class);
        return map;
    }

    /** The pod template a revision holds; null if its data holds none. */
    public static PodTemplateSpec templateOf(ControllerRevision revision) {
        JsonNode template = JSON.valueToTree(revision.getData()).path("spec").path("template");
        if (!(template instanceof ObjectNode object)) {
            return null;
        }
        ObjectNode copy = object.deepCopy();
        copy.remove("$patch");
        return JSON.convertValue(copy, PodTemplateSpec.class);
    }
}
