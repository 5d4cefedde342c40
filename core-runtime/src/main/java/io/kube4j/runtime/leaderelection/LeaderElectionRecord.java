package io.kube4j.runtime.leaderelection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** The state of an election, as stored in a Lease's spec or in the legacy Endpoints annotation. */
record LeaderElectionRecord(String holderIdentity, int leaseDurationSeconds, Instant acquireTime, Instant renewTime,
                            int leaderTransitions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static LeaderElectionRecord of(LeaseSpec spec) {
        return new LeaderElectionRecord(spec.getHolderIdentity() == null ? "" : spec.getHolderIdentity(),
                spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds(),
                spec.getAcquireTime() == null ? Instant.EPOCH : spec.getAcquireTime().toInstant(),
                spec.getRenewTime() == null ? Instant.EPOCH : spec.getRenewTime().toInstant(),
                spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions());
    }

    /** The Lease spec: times as MicroTime (microseconds, UTC). */
    LeaseSpec toLeaseSpec() {
        LeaseSpec spec = new LeaseSpec();
        spec.setHolderIdentity(holderIdentity);
        spec.setLeaseDurationSeconds(leaseDurationSeconds);
        spec.setAcquireTime(microTime(acquireTime));
        spec.setRenewTime(microTime(renewTime));
        spec.setLeaseTransitions(leaderTransitions);
        return spec;
    }

    private static ZonedDateTime microTime(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
    }

    /** The annotation's JSON: client-go's {@code LeaderElectionRecord}, times as metav1.Time (seconds). */
    String toAnnotation() {
        ObjectNode o = JSON.createObjectNode();
        o.put("holderIdentity", holderIdentity);
        o.put("leaseDurationSeconds", leaseDurationSeconds);
        o.put("acquireTime", acquireTime.truncatedTo(ChronoUnit.SECONDS).toString());
        o.put("renewTime", renewTime.truncatedTo(ChronoUnit.SECONDS).toString());
        o.put("leaderTransitions", leaderTransitions);
        return o.toString();
    }

    static LeaderElectionRecord ofAnnotation(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            return new LeaderElectionRecord(o.path("holderIdentity").asText(""), o.path("leaseDurationSeconds").asInt(),
                    Instant.parse(o.path("acquireTime").asText("1970-01-01T00:00:00Z")),
                    Instant.parse(o.path("renewTime").asText("1970-01-01T00:00:00Z")), o.path("leaderTransitions").asInt());
        } catch (Exception e) {
            throw new IllegalArgumentException("not a leader election record: " + json, e);
        }
    }
}
