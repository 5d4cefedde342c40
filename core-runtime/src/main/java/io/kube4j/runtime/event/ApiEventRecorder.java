package io.kube4j.runtime.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.client.PatchType;
import io.kube4j.api.event.EventRecorder;
import io.kube4j.api.event.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventRecorder} writing core/v1 Events through an {@link ApiClient}, for one component
 * ({@code source.component}, {@code reportingComponent}).
 *
 * <p>{@link #event} builds the Event's fields at once (the time, a snapshot of the object's
 * reference) and puts them on a bounded queue (1000 events); when the queue is full the event is
 * dropped and counted ({@link #dropped()}), since Events are best effort and the caller must never
 * wait. One virtual thread ({@code event-recorder-<component>}) writes them, after client-go's
 * correlation ({@link EventCorrelator}): similar events with many messages are combined into one,
 * a repeat of a remembered event patches that Event with {@code count + 1} and the new
 * {@code lastTimestamp} (if that Event is gone, expired, a new one is created), and each object
 * gets at most 25 events at once from this component, then one every 5 minutes ({@link #filtered()}
 * counts the rest).
 */
public final class ApiEventRecorder implements EventRecorder, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiEventRecorder.class);
    private static final int QUEUE_CAPACITY = 1000;

    private final ApiClient client;
    private final String component;
    private final String host;
    private final Clock clock;
    private final BlockingQueue<Pending> pending = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    /** The Event last written for each correlation key, as client-go's event log remembers them. */
    private final Map<Object, Written> written = EventCorrelator.lru();
    private final EventCorrelator correlator;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong filtered = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    private long lastNameNanos;

    /**
     * @param component the reporting component ({@code default-scheduler}, {@code deployment-controller})
     * @param host      the node the component runs on, "" for none
     */
    public ApiEventRecorder(ApiClient client, String component, String host, Clock clock) {
        this.client = requireNonNull(client, "client is null");
        this.component = requireNonNull(component, "component is null");
        this.host = requireNonNull(host, "host is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.correlator = new EventCorrelator(clock);
        this.writer = Thread.ofVirtual().name("event-recorder-" + component).start(this::write);
    }

    @Override
    public void event(HasMetadata regarding, EventType type, String reason, String messageFormat, Object... args) {
        requireNonNull(regarding, "regarding is null");
        requireNonNull(type, "type is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(messageFormat, "messageFormat is null");
        if (closed) {
            return;
        }
        String message;
        try {
            message = args.length == 0 ? messageFormat : String.format(messageFormat, args);
        } catch (RuntimeException e) {
            message = messageFormat;
        }
        if (!pending.offer(new Pending(reference(regarding), type, reason, message, clock.instant()))) {
            dropped.incrementAndGet();
            log.warn("event recorder {}: queue full, dropped {} {} on {}", component, reason, message,
                    regarding.getMetadata().getName());
        }
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events the spam filter dropped: more than its burst about one object. */
    public long filtered() {
        return filtered.get();
    }

    /** Events written (created or updated) so far. */
    public long writes() {
        return writes.get();
    }

    private static ObjectReference reference(HasMetadata o) {
        String kind = o.getKind() != null ? o.getKind() : HasMetadata.getKind(o.getClass());
        String apiVersion = o.getApiVersion() != null ? o.getApiVersion() : HasMetadata.getApiVersion(o.getClass());
        return new ObjectReferenceBuilder().withKind(kind).withApiVersion(apiVersion)
                .withNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName())
                .withUid(o.getMetadata().getUid()).withResourceVersion(o.getMetadata().getResourceVersion()).build();
    }

    private void write() {
        while (true) {
            Pending p;
            try {
                p = pending.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (p == null) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                write(p);
            } catch (RuntimeException e) {
                log.warn("event recorder {}: writing {} on {} failed: {}", component, p.reason(), p.regarding().getName(),
                        e.getMessage());
            }
        }
    }

    private void write(Pending p) {
        ObjectReference r = p.regarding();
        EventCorrelator.Decision decision = correlator.correlate(new EventCorrelator.Occurrence(component, host,
                r.getKind(), r.getNamespace(), r.getName(), r.getUid(), r.getApiVersion(), p.type().wireName(), p.reason(),
                p.message()));
        Object key = decision.key();
        String message = decision.message();
        String timestamp = p.time().truncatedTo(ChronoUnit.SECONDS).toString();
        Written last = written.get(key);
        if (decision.filtered()) {
            // As client-go: the occurrence still counts, so the next Event written for the key shows it.
            if (last != null) {
                written.put(key, new Written(last.namespace(), last.name(), last.count() + 1));
            }
            filtered.incrementAndGet();
            return;
        }
        if (last != null) {
            int count = last.count() + 1;
            try {
                client.patch(Event.class, last.namespace(), last.name(), PatchType.MERGE, "{\"count\":" + count
                        + ",\"lastTimestamp\":\"" + timestamp + "\",\"message\":\""
                        + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}", "");
                written.put(key, new Written(last.namespace(), last.name(), count));
                writes.incrementAndGet();
                return;
            } catch (ApiException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                written.remove(key);
            }
        }
        String namespace = p.regarding().getNamespace() == null || p.regarding().getNamespace().isEmpty()
                ? "default" : p.regarding().getNamespace();
        // kube's name: the object's name and the time in hex nanoseconds; strictly increasing here so that two
        // events of one object in the same clock tick do not collide, and retried once if another recorder's did.
        long nanos = Math.max(p.time().getEpochSecond() * 1_000_000_000L + p.time().getNano(), lastNameNanos + 1);
        lastNameNanos = nanos;
        Event created;
        try {
            created = client.create(event(p, message, namespace, p.regarding().getName() + "." + Long.toHexString(nanos),
                    timestamp));
        } catch (ApiException e) {
            if (!e.isConflict()) {
                throw e;
            }
            lastNameNanos = nanos + 1;
            created = client.create(event(p, message, namespace, p.regarding().getName() + "."
                    + Long.toHexString(nanos + 1), timestamp));
        }
        written.put(key, new Written(namespace, created.getMetadata().getName(), 1));
        writes.incrementAndGet();
    }

    private Event event(Pending p, String message, String namespace, String name, String timestamp) {
        return new EventBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withInvolvedObject(p.regarding()).withType(p.type().wireName()).withReason(p.reason())
                .withMessage(message).withSource(new EventSource(component, host.isEmpty() ? null : host))
                .withReportingComponent(component).withReportingInstance(host.isEmpty() ? null : host)
                .withFirstTimestamp(timestamp).withLastTimestamp(timestamp).withCount(1).build();
    }

    /** Writes what is queued (waiting at most {@code timeout}), then stops. Idempotent. */
    public void close(Duration timeout) {
        closed = true;
        try {
            writer.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private record Pending(ObjectReference regarding, EventType type, String reason, String message, Instant time) {
    }

    private record Written(String namespace, String name, int count) {
    }
}
