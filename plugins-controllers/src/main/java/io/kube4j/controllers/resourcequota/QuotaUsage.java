package io.kube4j.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How much of a quota's resources pods use, and how quantities are written: pure functions. */
final class QuotaUsage {
    static final String REQUESTS = "requests.";
    static final String LIMITS = "limits.";
    private static final List<String> BARE_REQUESTS = List.of("cpu", "memory", "ephemeral-storage");
    private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final String[] DECIMAL = {"k", "M", "G", "T", "P", "E"};

    private QuotaUsage() {
    }

    /** Whether the pod counts against quota: upstream's evaluator leaves Succeeded and Failed pods out. */
    static boolean counts(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /** Whether the pod is in every one of the quota's scopes ({@code Terminating}, {@code BestEffort}, ...). */
    static boolean inScopes(Pod pod, ResourceQuotaSpec spec) {
        List<String> scopes = spec == null || spec.getScopes() == null ? List.of() : spec.getScopes();
        for (String scope : scopes) {
            boolean terminating = pod.getSpec() != null && pod.getSpec().getActiveDeadlineSeconds() != null;
            boolean bestEffort = bestEffort(pod);
            boolean in = switch (scope) {
                case "Terminating" -> terminating;
                case "NotTerminating" -> !terminating;
                case "BestEffort" -> bestEffort;
                case "NotBestEffort" -> !bestEffort;
                default -> true;
            };
            if (!in) {
                return false;
            }
        }
        return true;
    }

    /**
     * What one pod uses of the quota resource {@code name}: its effective request ({@code requests.X},
     * or the bare {@code cpu}, {@code memory}, {@code ephemeral-storage}) or limit ({@code limits.X}):
     * the larger of the sum over its containers and the largest init container, plus its overhead.
     * Zero for any other name.
     */
    static BigDecimal podUsage(Pod pod, String name) {
        String resource;
        boolean limits;
        if (name.startsWith(REQUESTS)) {
            resource = name.substring(REQUESTS.length());
            limits = false;
        } else if (name.startsWith(LIMITS)) {
            resource = name.substring(LIMITS.length());
            limits = true;
        } else if (BARE_REQUESTS.contains(name)) {
            resource = name;
            limits = false;
        } else {
            return BigDecimal.ZERO;
        }
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            return BigDecimal.ZERO;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (Container c : spec.getContainers() == null ? List.<Container>of() : spec.getContainers()) {
            sum = sum.add(amount(c, resource, limits));
        }
        for (Container c : spec.getInitContainers() == null ? List.<Container>of() : spec.getInitContainers()) {
            sum = sum.max(amount(c, resource, limits));
        }
        if (spec.getOverhead() != null && spec.getOverhead().containsKey(resource)) {
            sum = sum.add(Quantity.getAmountInBytes(spec.getOverhead().get(resource)));
        }
        return sum;
    }

    private static BigDecimal amount(Container c, String resource, boolean limits) {
        if (c.getResources() == null) {
            return BigDecimal.ZERO;
        }
        Map<String, Quantity> values = limits ? c.getResources().getLimits() : c.getResources().getRequests();
        if (!limits && (values == null || !values.containsKey(resource))) {
            // As the API server defaults it: a limit without a request requests the limit.
            values = c.getResources().getLimits();
        }
        Quantity q = values == null ? null : values.get(resource);
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static boolean bestEffort(Pod pod) {
        if (pod.getSpec() == null) {
            return true;
        }
        List<Container> all = new java.util.ArrayList<>(pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        for (Container c : all) {
            if (c.getResources() != null && ((c.getResources().getRequests() != null && !c.getResources().getRequests().isEmpty())
                    || (c.getResources().getLimits() != null && !c.getResources().getLimits().isEmpty()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code value} as Kubernetes writes a quantity of the resource {@code name}: CPU in cores or
     * millicores ({@code 1}, {@code 250m}); other amounts with the largest binary suffix that divides
     * them ({@code 128Mi}), else the largest decimal one ({@code 100M}), else plain.
     */
    static String format(String name, BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        if (name.endsWith("cpu")) {
            BigDecimal stripped = value.stripTrailingZeros();
            if (stripped.scale() <= 0) {
                return stripped.toBigInteger().toString();
            }
            BigDecimal millis = value.movePointRight(3).stripTrailingZeros();
            return millis.scale() <= 0 ? millis.toBigInteger() + "m" : stripped.toPlainString();
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > 0) {
            return stripped.toPlainString();
        }
        BigInteger v = stripped.toBigInteger();
        String best = suffixed(v, BigInteger.valueOf(1024), BINARY);
        if (best == null) {
            best = suffixed(v, BigInteger.valueOf(1000), DECIMAL);
        }
        return best == null ? v.toString() : best;
    }

    private static String suffixed(BigInteger v, BigInteger base, String[] suffixes) {
        String best = null;
        BigInteger unit = base;
        for (String suffix : suffixes) {
            if (v.mod(unit).signum() != 0) {
                break;
            }
            best = v.divide(unit) + suffix;
            unit = unit.multiply(base);
        }
        return best;
    }

    /** The sum of {@code name} over the pods. */
    static BigDecimal sum(List<Pod> pods, String name) {
        BigDecimal total = BigDecimal.ZERO;
        for (Pod pod : pods) {
            total = total.add(podUsage(pod, name));
        }
        return total;
    }

    /** Whether two quantity maps hold the same amounts for the same keys (formats aside). */
    static boolean sameAmounts(Map<String, Quantity> a, Map<String, Quantity> b) {
        Map<String, Quantity> x = a == null ? Map.of() : a;
        Map<String, Quantity> y = b == null ? Map.of() : b;
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        Map<String, Boolean> seen = new HashMap<>();
        for (Map.Entry<String, Quantity> e : x.entrySet()) {
            Quantity other = y.get(e.getKey());
            seen.put(e.getKey(), other != null
                    && Quantity.getAmountInBytes(e.getValue()).compareTo(Quantity.getAmountInBytes(other)) == 0);
        }
        return !seen.containsValue(false);
    }
}
