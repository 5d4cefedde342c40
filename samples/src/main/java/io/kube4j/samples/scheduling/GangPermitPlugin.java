package io.kube4j.samples.scheduling;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.scheduling.CycleState;
import io.kube4j.api.scheduling.PermitPlugin;
import io.kube4j.api.scheduling.PermitResult;
import io.kube4j.api.scheduling.SchedulingContext;
import io.kube4j.api.scheduling.Status;
import io.kube4j.api.scheduling.WaitingPod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gang scheduling in one Permit plugin, the use Permit's WAIT was made for: a pod labelled
 * {@code kube4j.io/gang: NAME} with the annotation {@code kube4j.io/gang-size: "N"} keeps its
 * reservation and waits until N pods of its gang (same namespace) are reserved; the last one
 * allows them all, and they bind together. If the gang is not complete within the timeout, each
 * waiting member is rejected, unreserved and retried later. Pods without the label pass.
 *
 * <p>Runs on the scheduling thread only (Permit is never called concurrently), so counting the
 * waiting pods and allowing them needs no lock of its own.
 */
final class GangPermitPlugin implements PermitPlugin {
    static final String GANG_LABEL = "kube4j.io/gang";
    static final String SIZE_ANNOTATION = "kube4j.io/gang-size";

    private final Duration timeout;
    private final SchedulingContext context;

    GangPermitPlugin(GangPermitArgs args, SchedulingContext context) {
        this.timeout = Duration.ofSeconds(args.timeoutSeconds());
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public String name() {
        return GangPermitFactory.NAME;
    }

    @Override
    public PermitResult permit(CycleState state, Pod pod, String nodeName) {
        String gang = label(pod);
        if (gang == null) {
            return PermitResult.allow();
        }
        int size = size(pod);
        if (size < 1) {
            return PermitResult.deny(Status.unschedulableAndUnresolvable("pod of gang " + gang + " has no valid "
                    + SIZE_ANNOTATION + " annotation"));
        }
        List<WaitingPod> members = context.waitingPods().stream()
                .filter(w -> gang.equals(label(w.pod())) && Objects.equals(namespace(w.pod()), namespace(pod)))
                .toList();
        if (members.size() + 1 < size) {
            return PermitResult.waitFor(timeout);
        }
        members.forEach(w -> w.allow(name()));
        return PermitResult.allow();
    }

    private static String label(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(GANG_LABEL);
    }

    private static int size(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        try {
            return annotations == null ? 0 : Integer.parseInt(annotations.getOrDefault(SIZE_ANNOTATION, "0").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String namespace(Pod pod) {
        return pod.getMetadata().getNamespace();
    }
}
