package io.kube4j.runtime.assembly;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes what the runtime started, in the reverse order of starting (Airlift's LifeCycleManager). */
public final class LifeCycleManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LifeCycleManager.class);
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();

    public <T extends AutoCloseable> T manage(T resource) {
        lock.lock();
        try {
            started.push(resource);
            return resource;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            while (!started.isEmpty()) {
                AutoCloseable c = started.pop();
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("closing {} failed", c, e);
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
