package io.kube4j.controllers.statefulset;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.HttpApiClient;
import io.kube4j.api.controller.Lister;
import io.kube4j.controllers.templates.TemplateRevisions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * A StatefulSet's ControllerRevisions, as kube's {@code controller/history}: each distinct pod template
 * is one revision named {@code <set>-<hash>}, labelled with the template's labels (so that
 * {@code kubectl rollout history} finds it by the set's selector) and {@code controller.kubernetes.io/hash},
 * controlled by the set, whose {@code data} is the strategic merge patch that puts the template back
 * ({@code {"spec":{"template":{..., "$patch":"replace"}}}}, what {@code kubectl rollout undo} applies).
 * Going back to an earlier template reuses its revision with the next number.
 */
final class Revisions {
    static final String HASH_LABEL = "controller.kubernetes.io/hash";
    private static final ObjectMapper JSON = HttpApiClient.mapper();
    private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";

    /** The revision pods of the current and of the update template are stamped with, and the collision count used. */
    record Current(ControllerRevision current, ControllerRevision update, int collisionCount) {
    }

    private final ApiClient client;
    private final Lister<ControllerRevision> lister;

    Revisions(ApiClient client, Lister<ControllerRevision> lister) {
        this.client = requireNonNull(client, "client is null");
        this.lister = requireNonNull(lister, "lister is null");
    }

    /** The set's revisions, oldest first. */
    List<ControllerRevision> owned(StatefulSet set) {
        return TemplateRevisions.controlledBy(lister.list(set.getMetadata().getNamespace()), set.getMetadata().getUid());
    }

    /** Finds or makes the revision of the set's template; the current one is {@code status.currentRevision} if it still exists. */
    Current sync(StatefulSet set) {
        List<ControllerRevision> revisions = owned(set);
        long next = revisions.isEmpty() ? 1 : revisions.getLast().getRevision() + 1;
        int collisions = set.getStatus() == null || set.getStatus().getCollisionCount() == null ? 0 : set.getStatus().getCollisionCount();
        PodTemplateSpec template = set.getSpec().getTemplate();
        List<ControllerRevision> equal = revisions.stream().filter(r -> template.equals(TemplateRevisions.templateOf(r))).toList();
        ControllerRevision update;
        if (!equal.isEmpty() && equal.getLast().getMetadata().getName().equals(revisions.getLast().getMetadata().getName())) {
            update = equal.getLast();
        } else if (!equal.isEmpty()) {
            update = client.update(new ControllerRevisionBuilder(equal.getLast()).withRevision(next).build());
        } else {
            Map<String, Object> data = TemplateRevisions.patchOf(template);
            while (true) {
                ControllerRevision revision = revision(set, data, next, collisions);
                try {
                    update = client.create(revision);
                    break;
                } catch (ApiException e) {
                    if (!e.isConflict()) {
                        throw e;
                    }
                    Optional<ControllerRevision> existing = client.get(ControllerRevision.class, set.getMetadata().getNamespace(),
                            revision.getMetadata().getName());
                    if (existing.isPresent() && isOwnedBy(existing.get(), set) && template.equals(TemplateRevisions.templateOf(existing.get()))) {
                        update = existing.get();
                        break;
                    }
                    // Another object has this name: the next collision count gives another hash, as kube does.
                    collisions++;
                }
            }
        }
        String currentName = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
        String updateName = update.getMetadata().getName();
        ControllerRevision current = revisions.stream().filter(r -> r.getMetadata().getName().equals(currentName)
                && !r.getMetadata().getName().equals(updateName)).findFirst().orElse(update);
        return new Current(current, update, collisions);
    }

    /** Deletes the oldest revisions beyond {@code revisionHistoryLimit} that no pod and neither current revision uses. */
    void truncate(StatefulSet set, Set<String> live) {
        int limit = set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
        TemplateRevisions.deleteBeyond(client, owned(set).stream().filter(r -> !live.contains(r.getMetadata().getName())).toList(),
                limit);
    }

    private static ControllerRevision revision(StatefulSet set, Map<String, Object> data, long number, int collisions) {
        return TemplateRevisions.revision(set, "StatefulSet", set.getSpec().getTemplate(), HASH_LABEL, hash(data, collisions),
                data, number);
    }

    /** A short name-safe hash of the data and the collision count (CRC-32C, spelled with kube's safe alphabet). */
    static String hash(Map<String, Object> data, int collisions) {
        CRC32C crc = new CRC32C();
        try {
            crc.update(JSON.writeValueAsBytes(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a revision: " + e.getMessage(), e);
        }
        crc.update(Integer.toString(collisions).getBytes(StandardCharsets.UTF_8));
        StringBuilder name = new StringBuilder();
        for (long v = crc.getValue(); v > 0 || name.length() < 6; v /= SAFE.length()) {
            name.append(SAFE.charAt((int) (v % SAFE.length())));
        }
        return name.toString();
    }

    private static boolean isOwnedBy(ControllerRevision revision, StatefulSet set) {
        return revision.getMetadata().getOwnerReferences() != null && revision.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && set.getMetadata().getUid().equals(o.getUid()));
    }
}
