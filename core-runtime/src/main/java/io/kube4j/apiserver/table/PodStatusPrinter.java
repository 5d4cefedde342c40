package io.kube4j.apiserver.table;

import static io.kube4j.apiserver.table.Json.has;
import static io.kube4j.apiserver.table.Json.list;
import static io.kube4j.apiserver.table.Json.orNone;
import static io.kube4j.apiserver.table.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cells of a pod row. The STATUS cell is not the phase alone: like kubectl it names the most telling
 * container state (ContainerCreating, CrashLoopBackOff, Completed, Init:0/1, Terminating...).
 */
final class PodStatusPrinter {
    private PodStatusPrinter() {
    }

    static List<Object> cells(JsonNode pod, Instant now) {
        Set<String> sidecars = new HashSet<>();
        List<JsonNode> initContainers = list(pod, "/spec/initContainers");
        for (JsonNode c : initContainers) {
            if (c.path("restartPolicy").asText().equals("Always")) {
                sidecars.add(c.path("name").asText());
            }
        }
        int total = list(pod, "/spec/containers").size() + sidecars.size();
        int ready = 0;
        long restarts = 0;
        long sidecarRestarts = 0;
        Instant lastRestart = null;

        String reason = text(pod, "/status/phase");
        if (!text(pod, "/status/reason").isEmpty()) {
            reason = text(pod, "/status/reason");
        }
        for (JsonNode c : list(pod, "/status/conditions")) {
            if (c.path("type").asText().equals("PodScheduled") && c.path("reason").asText().equals("SchedulingGated")) {
                reason = "SchedulingGated";
            }
        }

        boolean initializing = false;
        List<JsonNode> initStatuses = list(pod, "/status/initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode c = initStatuses.get(i);
            restarts += c.path("restartCount").asLong();
            lastRestart = later(lastRestart, c.at("/lastState/terminated/finishedAt").asText(""));
            boolean sidecar = sidecars.contains(c.path("name").asText());
            boolean started = c.path("started").asBoolean(false);
            if (sidecar) {
                sidecarRestarts += c.path("restartCount").asLong();
                if (started && c.path("ready").asBoolean(false)) {
                    ready++;
                }
            }
            JsonNode terminated = c.at("/state/terminated");
            JsonNode waiting = c.at("/state/waiting");
            if (!terminated.isMissingNode() && terminated.path("exitCode").asInt(0) == 0) {
                continue;
            }
            if (sidecar && started) {
                continue;
            }
            if (!terminated.isMissingNode()) {
                String r = terminated.path("reason").asText("");
                if (r.isEmpty()) {
                    reason = terminated.path("signal").asInt(0) != 0
                            ? "Init:Signal:" + terminated.path("signal").asInt()
                            : "Init:ExitCode:" + terminated.path("exitCode").asInt();
                } else {
                    reason = "Init:" + r;
                }
            } else if (!waiting.path("reason").asText("").isEmpty()
                    && !waiting.path("reason").asText().equals("PodInitializing")) {
                reason = "Init:" + waiting.path("reason").asText();
            } else {
                reason = "Init:" + i + "/" + initContainers.size();
            }
            initializing = true;
            break;
        }

        if (!initializing || conditionTrue(pod, "Initialized")) {
            restarts = sidecarRestarts;
            boolean hasRunning = false;
            List<JsonNode> statuses = list(pod, "/status/containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode c = statuses.get(i);
                restarts += c.path("restartCount").asLong();
                lastRestart = later(lastRestart, c.at("/lastState/terminated/finishedAt").asText(""));
                JsonNode state = c.path("state");
                String waitingReason = state.at("/waiting/reason").asText("");
                JsonNode terminated = state.path("terminated");
                if (!waitingReason.isEmpty()) {
                    reason = waitingReason;
                } else if (!terminated.isMissingNode() && !terminated.path("reason").asText("").isEmpty()) {
                    reason = terminated.path("reason").asText();
                } else if (!terminated.isMissingNode()) {
                    reason = terminated.path("signal").asInt(0) != 0
                            ? "Signal:" + terminated.path("signal").asInt()
                            : "ExitCode:" + terminated.path("exitCode").asInt();
                } else if (c.path("ready").asBoolean(false) && state.has("running")) {
                    hasRunning = true;
                    ready++;
                }
            }
            if (reason.equals("Completed") && hasRunning) {
                reason = conditionTrue(pod, "Ready") ? "Running" : "NotReady";
            }
        }

        String phase = text(pod, "/status/phase");
        if (has(pod, "/metadata/deletionTimestamp") && text(pod, "/status/reason").equals("NodeLost")) {
            reason = "Unknown";
        } else if (has(pod, "/metadata/deletionTimestamp") && !phase.equals("Succeeded") && !phase.equals("Failed")) {
            reason = "Terminating";
        }

        String restartCell = String.valueOf(restarts);
        if (restarts != 0 && lastRestart != null) {
            restartCell = restarts + " (" + HumanDuration.format(java.time.Duration.between(lastRestart, now)) + " ago)";
        }

        String ip = list(pod, "/status/podIPs").isEmpty() ? text(pod, "/status/podIP")
                : list(pod, "/status/podIPs").getFirst().path("ip").asText();
        String gates = "<none>";
        List<JsonNode> readinessGates = list(pod, "/spec/readinessGates");
        if (!readinessGates.isEmpty()) {
            int trueGates = 0;
            for (JsonNode gate : readinessGates) {
                if (conditionTrue(pod, gate.path("conditionType").asText())) {
                    trueGates++;
                }
            }
            gates = trueGates + "/" + readinessGates.size();
        }
        return List.of(Printers.name(pod), ready + "/" + total, reason, restartCell, Printers.age(pod, now),
                orNone(ip), orNone(text(pod, "/spec/nodeName")), orNone(text(pod, "/status/nominatedNodeName")), gates);
    }

    private static boolean conditionTrue(JsonNode pod, String type) {
        for (JsonNode c : list(pod, "/status/conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c.path("status").asText().equals("True");
            }
        }
        return false;
    }

    private static Instant later(Instant current, String timestamp) {
        if (timestamp.isEmpty()) {
            return current;
        }
        try {
            Instant t = OffsetDateTime.parse(timestamp).toInstant();
            return current == null || t.isAfter(current) ? t : current;
        } catch (DateTimeParseException e) {
            return current;
        }
    }
}
