package io.kube4j.network.userspace;

/** Makes cluster IPs local addresses of the node, so that listeners can bind them. Called from the sync thread only. */
interface LocalAddresses extends AutoCloseable {

    /** Manages nothing: the addresses must already be local. */
    LocalAddresses NONE = new LocalAddresses() {
        @Override
        public void add(String ip) {
        }

        @Override
        public void remove(String ip) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Makes nothing local because this process may not (it is not root): the mode then serves node
     * ports only, without the cluster IPs.
     */
    LocalAddresses UNAVAILABLE = new LocalAddresses() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public void add(String ip) {
            throw new IllegalStateException("cluster IPs cannot be made local addresses here");
        }

        @Override
        public void remove(String ip) {
        }

        @Override
        public void close() {
        }
    };

    /** Whether cluster IPs can be local addresses at all; false: the mode listens on none. */
    default boolean available() {
        return true;
    }

    /** Makes {@code ip} local; already local is fine. */
    void add(String ip);

    /** Stops {@code ip} being local; not local is fine. */
    void remove(String ip);

    /** Releases what was made. */
    @Override
    void close();
}
