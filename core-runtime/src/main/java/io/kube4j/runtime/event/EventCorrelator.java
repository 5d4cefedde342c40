package io.kube4j.runtime.event;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What client-go's EventCorrelator decides before an Event is written, in its order:
 * <ol>
 *   <li><b>Aggregation</b>: events that differ only in their message (same source, object, type and
 *       reason) are combined once more than {@value #AGGREGATE_MAX_EVENTS} distinct messages were seen
 *       within {@link #AGGREGATE_INTERVAL}: from then on they go to one Event whose message is
 *       {@code "(combined from similar events): "} and the newest message.</li>
 *   <li><b>Counting</b>: the caller counts repeats of the same key on one Event (a patch of its count).</li>
 *   <li><b>Spam filter</b>: a token bucket per source and object, {@value #SPAM_BURST} events at once, then
 *       one every {@link #SPAM_REFILL}; events beyond it are dropped. A controller creating 10,000 pods of
 *       one ReplicaSet writes about 25 SuccessfulCreate events, not 10,000.</li>
 * </ol>
 * Each memory holds the last {@value #REMEMBERED} keys. Not thread-safe: one recorder's writer uses it.
 */
final class EventCorrelator {
    static final int REMEMBERED = 4096;
    static final int AGGREGATE_MAX_EVENTS = 10;
    static final Duration AGGREGATE_INTERVAL = Duration.ofMinutes(10);
    static final int SPAM_BURST = 25;
    static final Duration SPAM_REFILL = Duration.ofMinutes(5);
    static final String COMBINED = "(combined from similar events): ";

    /** The event as it would be recorded, for correlation. */
    record Occurrence(String component, String host, String kind, String namespace, String name, String uid,
                      String apiVersion, String type, String reason, String message) {
        /** A field the object lacks (a cluster-scoped object's namespace, say) is "", as in client-go's keys. */
        Occurrence {
            component = Objects.requireNonNullElse(component, "");
            host = Objects.requireNonNullElse(host, "");
            kind = Objects.requireNonNullElse(kind, "");
            namespace = Objects.requireNonNullElse(namespace, "");
            name = Objects.requireNonNullElse(name, "");
            uid = Objects.requireNonNullElse(uid, "");
            apiVersion = Objects.requireNonNullElse(apiVersion, "");
            type = Objects.requireNonNullElse(type, "");
            reason = Objects.requireNonNullElse(reason, "");
            message = Objects.requireNonNullElse(message, "");
        }

        List<String> source() {
            return List.of(component, host, kind, namespace, name, uid, apiVersion);
        }

        List<String> similar() {
            return List.of(component, host, kind, namespace, name, uid, apiVersion, type, reason);
        }
    }

    /**
     * What to record: {@code message} (the event's own, or the combined one) under {@code key}, the
     * key that repeats are counted by; {@code filtered} when the spam filter drops it.
     */
    record Decision(Object key, String message, boolean filtered) {
    }

    private record Similar(Set<String> messages, Instant last) {
    }

    private static final class Bucket {
        double tokens = SPAM_BURST;
        Instant refilled;

        Bucket(Instant now) {
            refilled = now;
        }

        boolean tryTake(Instant now) {
            double perSecond = 1.0 / SPAM_REFILL.toSeconds();
            tokens = Math.min(SPAM_BURST, tokens + Duration.between(refilled, now).toNanos() / 1e9 * perSecond);
            refilled = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    private final Clock clock;
    private final Map<List<String>, Similar> similar = lru();
    private final Map<List<String>, Bucket> buckets = lru();

    EventCorrelator(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    Decision correlate(Occurrence o) {
        Instant now = clock.instant();
        List<String> similarKey = o.similar();
        Similar seen = similar.get(similarKey);
        if (seen == null || Duration.between(seen.last(), now).compareTo(AGGREGATE_INTERVAL) > 0) {
            seen = new Similar(new HashSet<>(), now);
        }
        seen.messages().add(o.message());
        Similar updated = new Similar(seen.messages(), now);
        similar.put(similarKey, updated);
        Object key = o;
        String message = o.message();
        if (updated.messages().size() >= AGGREGATE_MAX_EVENTS) {
            // As client-go: keep the set below the threshold so that every further similar event is combined.
            Iterator<String> any = updated.messages().iterator();
            any.next();
            any.remove();
            key = similarKey;
            message = COMBINED + o.message();
        }
        boolean allowed = buckets.computeIfAbsent(o.source(), k -> new Bucket(now)).tryTake(now);
        return new Decision(key, message, !allowed);
    }

    /** A map that keeps the {@value #REMEMBERED} keys used last. */
    static <K, V> Map<K, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }
}
