package io.kube4j.runtime.workqueue;

/** A source of monotonic nanoseconds, {@link System#nanoTime()} outside tests. */
@FunctionalInterface
public interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    /** Nanoseconds since an arbitrary origin; only differences mean something. */
    long nanoTime();
}
