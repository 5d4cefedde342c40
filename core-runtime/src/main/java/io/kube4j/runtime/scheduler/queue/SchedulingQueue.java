package io.kube4j.runtime.scheduler.queue;

import static java.util.Objects.requireNonNull;

import io.kube4j.api.scheduling.ClusterEvent;
import io.kube4j.api.scheduling.PodInfo;
import io.kube4j.api.scheduling.QueuedPodInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Pending pods waiting for a scheduling cycle, in three places as in kube-scheduler:
 * <ul>
 * <li>the <em>active</em> heap, ordered by the QueueSort plugin, that {@link #pop} takes from;</li>
 * <li>the <em>back-off</em> heap: pods that failed wait {@code initialBackoff × 2^(attempts-1)}
 *     (at most {@code maxBackoff}) before they are active again;</li>
 * <li>the <em>unschedulable</em> pool: pods no node fits wait for a cluster event
 *     ({@link #moveAllToActiveOrBackoff}) or, at the latest, {@code maxUnschedulableStay}; pods a
 *     PreEnqueue plugin holds back (scheduling gates) wait there too.</li>
 * </ul>
 * A pod popped is <em>in flight</em> until {@link #done}, {@link #addUnschedulable} or
 * {@link #addBackoff}. An event that arrives while a pod is in flight sends that pod, if it fails,
 * to back-off instead of the unschedulable pool, so that the event is not lost.
 *
 * <p>Thread-safe. Time comes from the clock, so that tests can drive it.
 */
public final class SchedulingQueue implements AutoCloseable {
    private static final Duration MAX_WAIT = Duration.ofSeconds(1);

    private final Comparator<QueuedPodInfo> order;
    private final Function<PodInfo, Optional<String>> preEnqueue;
    private final Clock clock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxUnschedulableStay;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<QueuedPodInfo> active;
    private final PriorityQueue<QueuedPodInfo> backoff;
    private final Map<String, QueuedPodInfo> unschedulable = new LinkedHashMap<>();
    private final Map<String, QueuedPodInfo> inFlight = new HashMap<>();
    private final Set<String> queued = new HashSet<>();
    private long schedulingCycle;
    private long moveRequestCycle = -1;
    private boolean closed;

    /**
     * @param order      the QueueSort plugin's order
     * @param preEnqueue the PreEnqueue plugins: the name of the one that holds a pod back, or empty to let it in
     */
    public SchedulingQueue(Comparator<QueuedPodInfo> order, Function<PodInfo, Optional<String>> preEnqueue, Clock clock,
                           Duration initialBackoff, Duration maxBackoff, Duration maxUnschedulableStay) {
        this.order = requireNonNull(order, "order is null");
        this.preEnqueue = requireNonNull(preEnqueue, "preEnqueue is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff is null");
        this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff is null");
        this.maxUnschedulableStay = requireNonNull(maxUnschedulableStay, "maxUnschedulableStay is null");
        this.active = new PriorityQueue<>(order);
        this.backoff = new PriorityQueue<>(Comparator.comparing(this::backoffExpiry));
    }

    /** kube-scheduler's defaults: back-off 1 s doubling up to 10 s, unschedulable pods retried after 5 minutes at the latest. */
    public static SchedulingQueue withDefaults(Comparator<QueuedPodInfo> order, Function<PodInfo, Optional<String>> preEnqueue,
                                               Clock clock) {
        return new SchedulingQueue(order, preEnqueue, clock, Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofMinutes(5));
    }

    /** A new pending pod. A pod already queued or in flight is updated instead. */
    public void add(PodInfo pod) {
        lock.lock();
        try {
            if (queued.contains(pod.key()) || inFlight.containsKey(pod.key())) {
                updateLocked(pod);
                return;
            }
            enqueueNew(QueuedPodInfo.added(pod, clock.instant()));
        } finally {
            lock.unlock();
        }
    }

    /** The pod changed: its queued entry takes the new object, and an unschedulable pod is tried again. */
    public void update(PodInfo pod) {
        lock.lock();
        try {
            updateLocked(pod);
        } finally {
            lock.unlock();
        }
    }

    private void updateLocked(PodInfo pod) {
        String key = pod.key();
        if (inFlight.containsKey(key)) {
            return;
        }
        QueuedPodInfo old = unschedulable.remove(key);
        if (old != null) {
            queued.remove(key);
            moveOut(with(old, pod));
            return;
        }
        if (removeFrom(active, key).map(info -> active.add(with(info, pod))).isPresent()) {
            return;
        }
        if (removeFrom(backoff, key).map(info -> backoff.add(with(info, pod))).isPresent()) {
            return;
        }
        enqueueNew(QueuedPodInfo.added(pod, clock.instant()));
    }

    /** The pod is gone or bound: forget it wherever it is. */
    public void delete(String key) {
        lock.lock();
        try {
            inFlight.remove(key);
            // Every bound pod's update lands here; only a queued pod is worth the scan of the heaps.
            if (queued.remove(key) && unschedulable.remove(key) == null && removeFrom(active, key).isEmpty()) {
                removeFrom(backoff, key);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next pod to schedule, waiting up to {@code timeout} for one; empty on timeout or once
     * closed. Moves pods whose back-off ended, and pods unschedulable for too long, first.
     */
    public Optional<QueuedPodInfo> pop(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return Optional.empty();
                }
                flushLocked();
                QueuedPodInfo next = active.poll();
                if (next != null) {
                    String key = next.podInfo().key();
                    queued.remove(key);
                    schedulingCycle++;
                    Instant now = clock.instant();
                    QueuedPodInfo popped = new QueuedPodInfo(next.podInfo(), next.timestamp(), next.attempts() + 1,
                            Optional.of(next.initialAttemptTimestamp().orElse(now)), next.unschedulablePlugins(),
                            next.pendingPlugins(), Optional.empty());
                    inFlight.put(key, popped);
                    return Optional.of(popped);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                changed.await(Math.min(left, MAX_WAIT.toNanos()), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The cycle number of the last pod popped; pass it back to {@link #addUnschedulable}. */
    public long schedulingCycle() {
        lock.lock();
        try {
            return schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A popped pod no node fits ({@code info} carries the rejecting plugins). It waits in the
     * unschedulable pool, or in back-off if a move event came since its cycle {@code podCycle}
     * began. Ignored when the pod was deleted meanwhile.
     */
    public void addUnschedulable(QueuedPodInfo info, long podCycle) {
        lock.lock();
        try {
            String key = info.podInfo().key();
            if (inFlight.remove(key) == null) {
                return;
            }
            QueuedPodInfo failed = stamped(info);
            queued.add(key);
            if (moveRequestCycle >= podCycle) {
                backoff.add(failed);
            } else {
                unschedulable.put(key, failed);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A popped pod failed for another reason (an error, a failed binding): it is retried after its back-off. */
    public void addBackoff(QueuedPodInfo info) {
        lock.lock();
        try {
            String key = info.podInfo().key();
            if (inFlight.remove(key) == null) {
                return;
            }
            queued.add(key);
            backoff.add(stamped(info));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A popped pod was scheduled (its binding is under way): it leaves the queue. */
    public void done(String key) {
        lock.lock();
        try {
            inFlight.remove(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Something changed in the cluster that may make unschedulable pods fit ({@code event}): every
     * pod in the unschedulable pool goes to the active heap, or to back-off if its back-off has not
     * ended. Pods a PreEnqueue plugin still holds back stay.
     */
    public void moveAllToActiveOrBackoff(ClusterEvent event) {
        moveToActiveOrBackoff(event, pod -> true);
    }

    /**
     * Like {@link #moveAllToActiveOrBackoff}, for the pods {@code worthRetrying} accepts (the
     * rejecting plugins' queueing hints); it runs under the queue's lock, so it must be quick.
     */
    public void moveToActiveOrBackoff(ClusterEvent event, Predicate<QueuedPodInfo> worthRetrying) {
        requireNonNull(event, "event is null");
        requireNonNull(worthRetrying, "worthRetrying is null");
        lock.lock();
        try {
            moveRequestCycle = schedulingCycle;
            List<QueuedPodInfo> pods = new ArrayList<>(unschedulable.values());
            for (QueuedPodInfo info : pods) {
                if (info.gatingPlugin().isEmpty() && !worthRetrying.test(info)) {
                    continue;
                }
                unschedulable.remove(info.podInfo().key());
                queued.remove(info.podInfo().key());
                moveOut(info);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int activeCount() {
        return count(() -> active.size());
    }

    public int backoffCount() {
        return count(() -> backoff.size());
    }

    public int unschedulableCount() {
        return count(() -> unschedulable.size());
    }

    /** How many of the {@linkplain #unschedulableCount() unschedulable} pods a PreEnqueue plugin holds back (scheduling gates). */
    public int gatedCount() {
        return count(() -> (int) unschedulable.values().stream().filter(p -> p.gatingPlugin().isPresent()).count());
    }

    /** Whether {@code key} waits in the unschedulable pool. */
    public boolean isUnschedulable(String key) {
        lock.lock();
        try {
            return unschedulable.containsKey(key);
        } finally {
            lock.unlock();
        }
    }

    /** When a pod that failed {@code attempts} times may be tried again, counted from its {@code timestamp}. */
    public Instant backoffExpiry(QueuedPodInfo info) {
        return info.timestamp().plus(backoffDuration(info.attempts()));
    }

    Duration backoffDuration(int attempts) {
        Duration d = initialBackoff;
        for (int i = 1; i < attempts; i++) {
            d = d.multipliedBy(2);
            if (d.compareTo(maxBackoff) >= 0) {
                return maxBackoff;
            }
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /** Wakes {@link #pop}, which answers empty from now on. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private int count(java.util.function.IntSupplier size) {
        lock.lock();
        try {
            return size.getAsInt();
        } finally {
            lock.unlock();
        }
    }

    private void enqueueNew(QueuedPodInfo info) {
        String key = info.podInfo().key();
        queued.add(key);
        Optional<String> gate = preEnqueue.apply(info.podInfo());
        if (gate.isPresent()) {
            unschedulable.put(key, gated(info, gate));
        } else {
            active.add(info);
            changed.signalAll();
        }
    }

    /** Out of the unschedulable pool: gated pods stay, pods still backing off go to back-off, the rest to active. */
    private void moveOut(QueuedPodInfo info) {
        String key = info.podInfo().key();
        queued.add(key);
        Optional<String> gate = preEnqueue.apply(info.podInfo());
        if (gate.isPresent()) {
            unschedulable.put(key, gated(info, gate));
        } else if (info.attempts() > 0 && backoffExpiry(info).isAfter(clock.instant())) {
            backoff.add(gated(info, Optional.empty()));
        } else {
            active.add(gated(info, Optional.empty()));
        }
        changed.signalAll();
    }

    private void flushLocked() {
        Instant now = clock.instant();
        while (!backoff.isEmpty() && !backoffExpiry(backoff.peek()).isAfter(now)) {
            active.add(backoff.poll());
        }
        List<QueuedPodInfo> stale = new ArrayList<>();
        for (QueuedPodInfo info : unschedulable.values()) {
            if (info.gatingPlugin().isEmpty() && !info.timestamp().plus(maxUnschedulableStay).isAfter(now)) {
                stale.add(info);
            }
        }
        for (QueuedPodInfo info : stale) {
            unschedulable.remove(info.podInfo().key());
            active.add(info);
        }
    }

    private QueuedPodInfo stamped(QueuedPodInfo info) {
        return new QueuedPodInfo(info.podInfo(), clock.instant(), info.attempts(), info.initialAttemptTimestamp(),
                info.unschedulablePlugins(), info.pendingPlugins(), Optional.empty());
    }

    private static QueuedPodInfo gated(QueuedPodInfo info, Optional<String> gate) {
        return new QueuedPodInfo(info.podInfo(), info.timestamp(), info.attempts(), info.initialAttemptTimestamp(),
                info.unschedulablePlugins(), info.pendingPlugins(), gate);
    }

    private static QueuedPodInfo with(QueuedPodInfo info, PodInfo pod) {
        return new QueuedPodInfo(pod, info.timestamp(), info.attempts(), info.initialAttemptTimestamp(),
                info.unschedulablePlugins(), info.pendingPlugins(), info.gatingPlugin());
    }

    private static Optional<QueuedPodInfo> removeFrom(PriorityQueue<QueuedPodInfo> heap, String key) {
        for (QueuedPodInfo info : heap) {
            if (info.podInfo().key().equals(key)) {
                heap.remove(info);
                return Optional.of(info);
            }
        }
        return Optional.empty();
    }
}
