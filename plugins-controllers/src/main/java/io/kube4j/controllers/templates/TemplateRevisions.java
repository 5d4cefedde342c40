package io.kube4j.controllers.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.DeleteOptions;
import io.kube4j.api.client.HttpApiClient;
import java.util.Comparator;
import java.util.HashMap;
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

    /**
     * A revision {@code <owner>-<hash>} of {@code template} numbered {@code number}, controlled by {@code owner}
     * (an {@code apps/v1} {@code kind}) and labelled with the template's labels and {@code hashLabel}: its hash,
     * so that {@code kubectl rollout history} finds it by the owner's selector.
     */
    public static ControllerRevision revision(HasMetadata owner, String kind, PodTemplateSpec template, String hashLabel,
                                              String hash, Map<String, Object> data, long number) {
        Map<String, String> labels = new HashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(hashLabel, hash);
        OwnerReference controller = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(kind)
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(true).build();
        return new ControllerRevisionBuilder().withNewMetadata().withNamespace(owner.getMetadata().getNamespace())
                .withName(owner.getMetadata().getName() + "-" + hash).withLabels(labels).withOwnerReferences(controller)
                .endMetadata().withData(data).withRevision(number).build();
    }

    /**
     * Deletes the oldest of {@code unused} (lowest revision first) beyond {@code limit}, each only if it is
     * still the same object; one already gone or replaced is left alone.
     */
    public static void deleteBeyond(ApiClient client, List<ControllerRevision> unused, int limit) {
        for (int i = 0; i < unused.size() - limit; i++) {
            ControllerRevision revision = unused.get(i);
            try {
                client.delete(ControllerRevision.class, revision.getMetadata().getNamespace(), revision.getMetadata().getName(),
                        DeleteOptions.DEFAULT.withPreconditionUid(revision.getMetadata().getUid()));
            } catch (ApiException e) {
                if (!e.isNotFound() && !e.isConflict()) {
                    throw e;
                }
            }
        }
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
