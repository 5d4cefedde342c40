package io.kube4j.apiserver.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.apiserver.validation.Quantity;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The QoS class kube-apiserver records in a new Pod's status, from the cpu and memory of its containers. */
final class QosClass {
    private static final List<String> COMPUTE = List.of("cpu", "memory");

    private QosClass() {
    }

    /** Guaranteed, Burstable or BestEffort for a defaulted pod spec (requests already filled from limits). */
    static String of(ObjectNode spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        for (ObjectNode container : PodDefaults.allContainers(spec)) {
            JsonNode resources = container.path("resources");
            add(resources.path("requests"), requests);
            Set<String> limited = add(resources.path("limits"), limits);
            if (!limited.containsAll(COMPUTE)) {
                guaranteed = false;
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed) {
            for (Map.Entry<String, BigDecimal> request : requests.entrySet()) {
                BigDecimal limit = limits.get(request.getKey());
                if (limit == null || limit.compareTo(request.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    /** Adds the positive cpu and memory quantities of {@code list} to {@code sums}; returns the names found. */
    private static Set<String> add(JsonNode list, Map<String, BigDecimal> sums) {
        Set<String> found = new HashSet<>();
        for (String name : COMPUTE) {
            JsonNode value = list.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            BigDecimal amount = Quantity.parse(value.asText()).orElse(BigDecimal.ZERO);
            if (amount.signum() > 0) {
                found.add(name);
                sums.merge(name, amount, BigDecimal::add);
            }
        }
        return found;
    }
}
