package io.kube4j.controllers.daemonset;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.controller.Lister;
import io.kube4j.controllers.templates.TemplateRevisions;
import java.util.List;
import java.util.Set;

/**
 * A DaemonSet's ControllerRevisions, as kube's DaemonSet controller keeps them: each distinct pod template
 * is one revision named {@code <ds>-<hash>} (the hash its pods carry in {@code controller-revision-hash}),
 * labelled with the template's labels and that hash (so that {@code kubectl rollout history} finds it by
 * the DaemonSet's selector), controlled by the DaemonSet, whose {@code data} is the strategic merge patch
 * that puts the template back ({@code {"spec":{"template":{..., "$patch":"replace"}}}}, what
 * {@code kubectl rollout undo} applies). Going back to an earlier template gives its revision the next
 * number; revisions beyond {@code revisionHistoryLimit} (10) that no pod uses are deleted, oldest first.
 */
final class DaemonSetHistory {

    private final ApiClient client;
    private final Lister<ControllerRevision> lister;

    DaemonSetHistory(ApiClient client, Lister<ControllerRevision> lister) {
        this.client = requireNonNull(client, "client is null");
        this.lister = requireNonNull(lister, "lister is null");
    }

    /** The DaemonSet's revisions, lowest revision first. */
    List<ControllerRevision> owned(DaemonSet ds) {
        return TemplateRevisions.controlledBy(lister.list(ds.getMetadata().getNamespace()), ds.getMetadata().getUid());
    }

    /** Makes sure the current template has the highest revision; {@code hash} is its pods' hash. */
    void sync(DaemonSet ds, String hash) {
        List<ControllerRevision> revisions = owned(ds);
        String name = ds.getMetadata().getName() + "-" + hash;
        long highest = revisions.isEmpty() ? 0 : revisions.getLast().getRevision();
        ControllerRevision existing = revisions.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElse(null);
        if (existing != null) {
            if (existing != revisions.getLast()) {
                client.update(new ControllerRevisionBuilder(existing).withRevision(highest + 1).build());
            }
            return;
        }
        try {
            client.create(TemplateRevisions.revision(ds, "DaemonSet", ds.getSpec().getTemplate(), DaemonSetController.HASH_LABEL,
                    hash, TemplateRevisions.patchOf(ds.getSpec().getTemplate()), highest + 1));
        } catch (ApiException e) {
            // Made already (a cache behind the write): the next pass sees it.
            if (!e.isConflict()) {
                throw e;
            }
        }
    }

    /** Deletes the oldest revisions beyond {@code revisionHistoryLimit} whose hash no pod carries, the current one kept. */
    void truncate(DaemonSet ds, String currentHash, Set<String> liveHashes) {
        int limit = ds.getSpec().getRevisionHistoryLimit() == null ? 10 : ds.getSpec().getRevisionHistoryLimit();
        String current = ds.getMetadata().getName() + "-" + currentHash;
        TemplateRevisions.deleteBeyond(client, owned(ds).stream().filter(r -> !r.getMetadata().getName().equals(current)
                && !liveHashes.contains(hashOf(r))).toList(), limit);
    }

    private static String hashOf(ControllerRevision revision) {
        return revision.getMetadata().getLabels() == null ? null
                : revision.getMetadata().getLabels().get(DaemonSetController.HASH_LABEL);
    }
}
