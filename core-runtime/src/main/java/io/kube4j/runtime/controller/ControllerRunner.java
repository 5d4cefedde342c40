package io.kube4j.runtime.controller;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kube4j.api.client.ApiException;
import io.kube4j.api.controller.Controller;
import io.kube4j.api.controller.ControllerContext;
import io.kube4j.api.controller.RateLimitingQueue;
import io.kube4j.api.controller.Request;
import io.kube4j.api.controller.ResourceEventHandler;
import io.kube4j.api.controller.Result;
import io.kube4j.api.controller.SharedInformer;
import io.kube4j.api.controller.TerminalException;
import io.kube4j.api.controller.WatchSource;
import io.kube4j.api.event.EventType;
import io.kube4j.runtime.workqueue.DefaultRateLimitingQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Controller}. The constructor asks for the controller's informers and adds their
 * handlers (so call it before the informer factory starts, as {@code ControllerFactory.create} is):
 * {@link WatchSource.For} enqueues the object's key, {@link WatchSource.Owns} the key of its
 * controlling owner, {@link WatchSource.Watches} whatever its mapper returns; an update enqueues
 * the keys of both the old and the new object, since a label or owner may have moved.
 *
 * <p>{@link #start} starts a virtual thread ({@code controller-<name>-sync}) that waits until those
 * informers have synced, then {@link ControllerContext#workers()} workers
 * ({@code controller-<name>-worker-<n>}). A worker reconciles one key: a normal
 * {@link Result.Done} forgets the key's back-off, {@link Result.Requeue} and any exception
 * requeue it with back-off (a 409 Conflict quietly, it only means the cache was stale),
 * {@link Result.RequeueAfter} queues it again after its delay, and a {@link TerminalException}
 * forgets it and records a Warning event on the object.
 */
public final class ControllerRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControllerRunner.class);

    private final Controller controller;
    private final ControllerContext context;
    private final DefaultRateLimitingQueue<Request> queue;
    /** The reconciled type; null for a controller keyed otherwise (the garbage collector's uids). */
    private final Class<? extends HasMetadata> forType;
    private final List<SharedInformer<?>> informers = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopping = lock.newCondition();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong reconciles = new AtomicLong();
    private volatile boolean workersStarted;
    private boolean started;
    private boolean stopped;

    public ControllerRunner(Controller controller, ControllerContext context) {
        this.controller = requireNonNull(controller, "controller is null");
        this.context = requireNonNull(context, "context is null");
        this.queue = new DefaultRateLimitingQueue<>(controller.name());
        List<WatchSource<?>> sources = List.copyOf(controller.watches());
        List<WatchSource<?>> fors = sources.stream().filter(s -> s instanceof WatchSource.For<?>).toList();
        if (fors.size() > 1) {
            throw new IllegalArgumentException("controller " + controller.name() + " must watch at most one For type, has "
                    + fors.size());
        }
        if (fors.isEmpty() && sources.stream().anyMatch(s -> s instanceof WatchSource.Owns<?>)) {
            throw new IllegalArgumentException("controller " + controller.name() + " watches Owns without a For type");
        }
        this.forType = fors.isEmpty() ? null : fors.getFirst().type();
        for (WatchSource<?> source : sources) {
            register(source);
        }
    }

    private <T extends HasMetadata> void register(WatchSource<T> source) {
        SharedInformer<T> informer = context.informers().informerFor(source.type());
        informers.add(informer);
        Function<T, List<Request>> keys = switch (source) {
            case WatchSource.For<T> f -> o -> List.of(Request.of(o));
            case WatchSource.Owns<T> owns -> o -> owns.requestsFor(o, forType);
            case WatchSource.Watches<T> w -> o -> List.copyOf(w.mapper().map(o));
        };
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                keys.apply(object).forEach(queue::add);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                keys.apply(oldObject).forEach(queue::add);
                keys.apply(newObject).forEach(queue::add);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                keys.apply(object).forEach(queue::add);
            }
        });
    }

    /** The controller's queue (for tests and metrics). */
    public RateLimitingQueue<Request> queue() {
        return queue;
    }

    /** Whether the caches synced and the workers run. */
    public boolean isRunning() {
        return workersStarted && !isStopped();
    }

    /** How many reconciles have finished, successful or not. */
    public long reconcileCount() {
        return reconciles.get();
    }

    /** Starts waiting for the caches, then the workers. Idempotent; never blocks. */
    public void start() {
        lock.lock();
        try {
            if (started || stopped) {
                return;
            }
            started = true;
            threads.add(Thread.ofVirtual().name("controller-" + controller.name() + "-sync").start(this::waitAndRun));
        } finally {
            lock.unlock();
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

    private void waitAndRun() {
        lock.lock();
        try {
            while (!stopped && !informers.stream().allMatch(SharedInformer::hasSynced)) {
                // hasSynced has no notification; a short poll costs nothing next to a list.
                stopping.await(50, TimeUnit.MILLISECONDS);
            }
            if (stopped) {
                return;
            }
            log.info("controller {}: caches synced, starting {} workers", controller.name(), context.workers());
            for (int i = 0; i < context.workers(); i++) {
                threads.add(Thread.ofVirtual().name("controller-" + controller.name() + "-worker-" + i).start(this::work));
            }
            workersStarted = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        for (Optional<Request> next = queue.get(); next.isPresent(); next = queue.get()) {
            Request request = next.get();
            try {
                reconcile(request);
            } finally {
                reconciles.incrementAndGet();
                queue.done(request);
            }
        }
    }

    private void reconcile(Request request) {
        try {
            Result result = controller.reconcile(request);
            switch (result) {
                case Result.Done d -> queue.forget(request);
                case Result.Requeue r -> queue.addRateLimited(request);
                case Result.RequeueAfter r -> {
                    queue.forget(request);
                    queue.addAfter(request, r.delay());
                }
            }
        } catch (TerminalException e) {
            queue.forget(request);
            log.error("controller {}: {} cannot be reconciled until it changes: {}", controller.name(), request,
                    e.getMessage());
            if (forType != null) {
                context.informers().informerFor(forType).lister().get(request).ifPresent(o ->
                        context.eventRecorder().event(o, EventType.WARNING, "ReconcileError", "%s", e.getMessage()));
            }
        } catch (RuntimeException e) {
            if (e instanceof ApiException api && api.isConflict()) {
                log.debug("controller {}: conflict on {}, retrying", controller.name(), request);
            } else {
                log.warn("controller {}: reconciling {} failed (retry {}): {}", controller.name(), request,
                        queue.numRequeues(request) + 1, e.toString());
            }
            queue.addRateLimited(request);
        }
    }

    /** Stops the workers after their current reconcile; queued keys are dropped. Idempotent. */
    @Override
    public void close() {
        List<Thread> toJoin;
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            stopped = true;
            stopping.signalAll();
        } finally {
            lock.unlock();
        }
        queue.shutdown();
        // Workers drain the queue after shutdown; emptying it first makes them stop after their current key.
        for (Optional<Request> k = queue.poll(Duration.ZERO); k.isPresent(); k = queue.poll(Duration.ZERO)) {
            queue.done(k.get());
        }
        lock.lock();
        try {
            toJoin = List.copyOf(threads);
        } finally {
            lock.unlock();
        }
        for (Thread t : toJoin) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
