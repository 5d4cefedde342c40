package io.kube4j.api.scheduling;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one plugin at one extension point.
 *
 * @param code what happened
 * @param reasons human-readable reasons, shown in the pod's {@code FailedScheduling} event
 * @param failedPlugin the plugin that returned this status, set by the framework on failures
 */
public record Status(Code code, List<String> reasons, Optional<String> failedPlugin) {

    /** The closed set of outcomes. */
    public enum Code {
        /** The plugin ran and the pod may go on. */
        SUCCESS,
        /** An internal error (bug, broken infrastructure); the pod is retried with back-off. */
        ERROR,
        /**
         * The pod does not fit now, but preemption (PostFilter) or a cluster change may help;
         * in the queue the pod waits for an event registered by the failing plugin.
         */
        UNSCHEDULABLE,
        /** Like UNSCHEDULABLE, but preemption cannot help on this node (node affinity, taints). */
        UNSCHEDULABLE_AND_UNRESOLVABLE,
        /** Permit only: the pod waits on its reserved node until allowed, rejected or timed out. */
        WAIT,
        /**
         * The plugin has nothing to do for this pod: at PreFilter it skips the plugin's Filter,
         * at PreScore its Score, at Bind it lets the next BindPlugin bind.
         */
        SKIP,
        /**
         * The pod cannot be scheduled until something outside the scheduler finishes (a
         * resource claim being allocated, say); not an error, and not worth preemption.
         */
        PENDING
    }

    public Status {
        requireNonNull(code, "code is null");
        reasons = List.copyOf(requireNonNull(reasons, "reasons is null"));
        requireNonNull(failedPlugin, "failedPlugin is null");
        if (code == Code.ERROR && reasons.isEmpty()) {
            throw new IllegalArgumentException("an ERROR status needs a reason");
        }
        failedPlugin.ifPresent(plugin -> {
            if (plugin.isBlank()) {
                throw new IllegalArgumentException("failedPlugin is blank");
            }
        });
    }

    private static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), Optional.empty());
    private static final Status SKIP = new Status(Code.SKIP, List.of(), Optional.empty());

    public static Status success() {
        return SUCCESS;
    }

    public static Status skip() {
        return SKIP;
    }

    public static Status of(Code code, String... reasons) {
        return new Status(code, List.of(reasons), Optional.empty());
    }

    public static Status error(String reason) {
        return of(Code.ERROR, reason);
    }

    /** An ERROR status for an exception a plugin threw; the reason is the exception's message or class. */
    public static Status error(Throwable cause) {
        String message = cause.getMessage();
        return error(message == null || message.isBlank() ? cause.getClass().getName() : message);
    }

    public static Status unschedulable(String... reasons) {
        return of(Code.UNSCHEDULABLE, reasons);
    }

    public static Status unschedulableAndUnresolvable(String... reasons) {
        return of(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons);
    }

    /** This status naming {@code plugin} as the one that returned it. */
    public Status withFailedPlugin(String plugin) {
        return new Status(code, reasons, Optional.of(plugin));
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    public boolean isWait() {
        return code == Code.WAIT;
    }

    /** Whether the pod was turned down (UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE or PENDING), as opposed to an error. */
    public boolean isRejected() {
        return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE || code == Code.PENDING;
    }

    /** The reasons joined with ", ", as kube-scheduler prints them. */
    public String message() {
        return String.join(", ", reasons);
    }
}
