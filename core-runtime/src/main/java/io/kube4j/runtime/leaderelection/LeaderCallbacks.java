package io.kube4j.runtime.leaderelection;

/** What a candidate does as leadership changes. Each method defaults to doing nothing. */
public interface LeaderCallbacks {

    /**
     * This candidate became the leader: start the work. Called on a new virtual thread of its own,
     * so it may run as long as the leadership lasts.
     */
    default void onStartedLeading() {
    }

    /**
     * This candidate is no longer the leader (renewal failed past the renew deadline, or it stopped):
     * stop the work at once, since another candidate may already lead. Called on the elector's thread.
     */
    default void onStoppedLeading() {
    }

    /** Another candidate, or this one, was seen holding the lease. Called on the elector's thread; must not block. */
    default void onNewLeader(String identity) {
    }
}
