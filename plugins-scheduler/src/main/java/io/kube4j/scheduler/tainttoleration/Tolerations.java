package io.kube4j.scheduler.tainttoleration;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Whether tolerations tolerate taints, with the API's matching rules ({@code core/v1/toleration.go}). */
public final class Tolerations {

    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    public static final String NO_EXECUTE = "NoExecute";

    private Tolerations() {
    }

    /**
     * Whether {@code toleration} tolerates {@code taint}: an empty effect matches every effect, an
     * empty key (only valid with {@code Exists}) every key; {@code Equal} (the default operator)
     * needs equal values, {@code Exists} ignores the value; any other operator tolerates nothing.
     */
    public static boolean tolerates(Toleration toleration, Taint taint) {
        if (!isEmpty(toleration.getEffect()) && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (!isEmpty(toleration.getKey()) && !toleration.getKey().equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator();
        if (isEmpty(operator) || operator.equals("Equal")) {
            return Objects.equals(emptyIfNull(toleration.getValue()), emptyIfNull(taint.getValue()));
        }
        return operator.equals("Exists");
    }

    /** Whether any of {@code tolerations} tolerates {@code taint}. */
    public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
        for (Toleration toleration : tolerations) {
            if (tolerates(toleration, taint)) {
                return true;
            }
        }
        return false;
    }

    /** The pod's tolerations, empty when it has none. */
    public static List<Toleration> of(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getTolerations() == null) {
            return List.of();
        }
        return pod.getSpec().getTolerations();
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    private static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }
}
