package io.kube4j.runtime.leaderelection;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.kube4j.api.client.ApiClient;
import io.kube4j.api.client.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One candidate of an election, as client-go's {@code LeaderElector} with the
 * {@code endpointsleases} multi-lock: the Lease decides, the Endpoints annotation mirrors it.
 *
 * <p>One virtual thread ({@code leader-elector-<name>}) loops: as a candidate it tries to acquire
 * every retry period; a lease whose holder is empty, or whose record has not changed for a lease
 * duration by this candidate's clock, is taken over (leaseTransitions + 1). As the leader it renews
 * every retry period; when no renewal succeeds within the renew deadline it steps down
 * ({@link LeaderCallbacks#onStoppedLeading}) and becomes a candidate again. {@link #close} stops it
 * and, if it leads, releases the lease (empty holder, duration 1 s) so that a standby takes over at
 * its next try instead of waiting a lease duration.
 */
public final class LeaderElector implements AutoCloseable {
    /** The legacy annotation on the Endpoints object, as client-go's {@code resourcelock.LeaderElectionRecordAnnotationKey}. */
    public static final String ANNOTATION = "control-plane.alpha.kubernetes.io/leader";
    private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

    private final ApiClient client;
    private final LeaderElectionConfig config;
    private final LeaderCallbacks callbacks;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopping = lock.newCondition();
    private Thread thread;
    private boolean stopped;
    private volatile boolean leader;
    private volatile String observedLeader = "";
    private LeaderElectionRecord observedRecord;
    private Instant observedTime = Instant.EPOCH;

    public LeaderElector(ApiClient client, LeaderElectionConfig config, LeaderCallbacks callbacks) {
        this(client, config, callbacks, Clock.systemUTC());
    }

    public LeaderElector(ApiClient client, LeaderElectionConfig config, LeaderCallbacks callbacks, Clock clock) {
        this.client = requireNonNull(client, "client is null");
        this.config = requireNonNull(config, "config is null");
        this.callbacks = requireNonNull(callbacks, "callbacks is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Starts campaigning. Idempotent; never blocks. */
    public void start() {
        lock.lock();
        try {
            if (thread == null && !stopped) {
                thread = Thread.ofVirtual().name("leader-elector-" + config.name()).start(this::run);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether this candidate holds the lease (as of its last successful acquire or renewal). */
    public boolean isLeader() {
        return leader;
    }

    /** The holder last seen, "" if none. */
    public String currentLeader() {
        return observedLeader;
    }

    public String identity() {
        return config.identity();
    }

    /** Stops campaigning; a leader releases the lease and gets {@link LeaderCallbacks#onStoppedLeading}. Idempotent. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            stopped = true;
            stopping.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            try {
                // The loop ends after at most one API call; the release below must not race its write.
                t.join(config.renewDeadline().plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (leader) {
            release();
            leader = false;
            callbacks.onStoppedLeading();
        }
    }

    private boolean isStopped() {
        lock.lock();
        try {
            return stopped;
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code d} unless stopped first; true if stopped. */
    private boolean pause(Duration d) {
        lock.lock();
        try {
            long nanos = d.toNanos();
            while (!stopped && nanos > 0) {
                nanos = stopping.awaitNanos(nanos);
            }
            return stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (!isStopped()) {
            if (!tryAcquireOrRenewLogged()) {
                if (pause(config.retryPeriod())) {
                    return;
                }
                continue;
            }
            leader = true;
            log.info("{} became the leader of {}/{}", config.identity(), config.namespace(), config.name());
            Thread.ofVirtual().name("leader-" + config.name()).start(callbacks::onStartedLeading);
            Instant lastRenew = clock.instant();
            while (true) {
                if (pause(config.retryPeriod())) {
                    // close() releases and calls onStoppedLeading.
                    return;
                }
                if (tryAcquireOrRenewLogged()) {
                    lastRenew = clock.instant();
                } else if (Duration.between(lastRenew, clock.instant()).compareTo(config.renewDeadline()) >= 0) {
                    break;
                }
            }
            log.warn("{} lost the leadership of {}/{}: no renewal within {}", config.identity(), config.namespace(),
                    config.name(), config.renewDeadline());
            leader = false;
            callbacks.onStoppedLeading();
        }
    }

    private boolean tryAcquireOrRenewLogged() {
        try {
            return tryAcquireOrRenew();
        } catch (ApiException e) {
            if (!e.isConflict()) {
                log.warn("{}: election for {}/{} failed: {}", config.identity(), config.namespace(), config.name(),
                        e.getMessage());
            }
            return false;
        }
    }

    /** One round, client-go's {@code tryAcquireOrRenew}: true if this candidate holds the lease afterwards. */
    private boolean tryAcquireOrRenew() {
        Instant now = clock.instant();
        int durationSeconds = (int) config.leaseDuration().toSeconds();
        Optional<Lease> current = client.get(Lease.class, config.namespace(), config.name());
        if (current.isEmpty()) {
            LeaderElectionRecord record = new LeaderElectionRecord(config.identity(), durationSeconds, now, now, 0);
            client.create(new LeaseBuilder().withNewMetadata().withNamespace(config.namespace()).withName(config.name())
                    .endMetadata().withSpec(record.toLeaseSpec()).build());
            observe(record, now);
            mirror(record);
            return true;
        }
        Lease lease = current.get();
        LeaderElectionRecord old = LeaderElectionRecord.of(lease.getSpec() == null
                ? new LeaseSpec() : lease.getSpec());
        if (!old.equals(observedRecord)) {
            observe(old, now);
        }
        boolean held = old.holderIdentity().equals(config.identity());
        if (!old.holderIdentity().isEmpty() && !held
                && observedTime.plusSeconds(Math.max(old.leaseDurationSeconds(), 1)).isAfter(now)) {
            return false;
        }
        LeaderElectionRecord next = held
                ? new LeaderElectionRecord(config.identity(), durationSeconds, old.acquireTime(), now, old.leaderTransitions())
                : new LeaderElectionRecord(config.identity(), durationSeconds, now, now, old.leaderTransitions() + 1);
        client.update(new LeaseBuilder(lease).withSpec(next.toLeaseSpec()).build());
        observe(next, now);
        mirror(next);
        return true;
    }

    private void observe(LeaderElectionRecord record, Instant now) {
        observedRecord = record;
        observedTime = now;
        if (!record.holderIdentity().equals(observedLeader)) {
            observedLeader = record.holderIdentity();
            if (!record.holderIdentity().isEmpty()) {
                callbacks.onNewLeader(record.holderIdentity());
            }
        }
    }

    private void release() {
        try {
            Optional<Lease> current = client.get(Lease.class, config.namespace(), config.name());
            if (current.isEmpty() || current.get().getSpec() == null
                    || !config.identity().equals(current.get().getSpec().getHolderIdentity())) {
                return;
            }
            LeaderElectionRecord old = LeaderElectionRecord.of(current.get().getSpec());
            Instant now = clock.instant();
            LeaderElectionRecord released = new LeaderElectionRecord("", 1, now, now, old.leaderTransitions());
            client.update(new LeaseBuilder(current.get()).withSpec(released.toLeaseSpec()).build());
            mirror(released);
            log.info("{} released {}/{}", config.identity(), config.namespace(), config.name());
        } catch (ApiException e) {
            log.warn("{}: releasing {}/{} failed; standbys take over after the lease expires: {}", config.identity(),
                    config.namespace(), config.name(), e.getMessage());
        }
    }

    /** Writes {@code record} to the Endpoints annotation; best effort, since the Lease decides. */
    private void mirror(LeaderElectionRecord record) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Optional<Endpoints> current = client.get(Endpoints.class, config.namespace(), config.name());
                if (current.isEmpty()) {
                    client.create(new EndpointsBuilder().withNewMetadata().withNamespace(config.namespace())
                            .withName(config.name()).addToAnnotations(ANNOTATION, record.toAnnotation()).endMetadata().build());
                } else {
                    Map<String, String> annotations = new HashMap<>();
                    if (current.get().getMetadata().getAnnotations() != null) {
                        annotations.putAll(current.get().getMetadata().getAnnotations());
                    }
                    annotations.put(ANNOTATION, record.toAnnotation());
                    client.update(new EndpointsBuilder(current.get()).editMetadata().withAnnotations(annotations)
                            .endMetadata().build());
                }
                return;
            } catch (ApiException e) {
                if (!e.isConflict()) {
                    log.warn("{}: writing the {} annotation failed: {}", config.identity(), ANNOTATION, e.getMessage());
                    return;
                }
            }
        }
    }
}
