package io.kube4j.api.client;

import com.fasterxml.jackson.core.JsonParser;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * How an {@link HttpApiClient} carries a request to the API server and the answer back: over
 * HTTP with the JDK's client ({@link HttpApiClient#HttpApiClient(ApiClientConfig,
 * io.kube4j.api.resource.ResourceRegistry)}), or, for a component in the API server's own JVM,
 * straight into the server's request handler (core-runtime's {@code LocalTransport}). The server
 * authenticates, authorizes, admits and answers the request the same way over either; the
 * in-process one only skips the socket, TLS and HTTP framing.
 */
public interface ApiTransport extends AutoCloseable {

    /**
     * One request.
     *
     * @param method       the HTTP method
     * @param pathAndQuery the path, percent-encoded, with its query string if any
     * @param contentType  the body's media type, or null without a body
     * @param body         the body, or null
     */
    record Request(String method, String pathAndQuery, String contentType, byte[] body) {
    }

    /**
     * An answer.
     *
     * @param code              the HTTP status code
     * @param body              the body (a Kubernetes {@code Status} for an error)
     * @param retryAfterSeconds the {@code Retry-After} header, or 0 without one
     */
    record Reply(int code, byte[] body, long retryAfterSeconds) {
    }

    /**
     * Sends one request and returns the server's answer, whatever its code.
     *
     * @param write true when the request changes something: it is then not sent again to another
     *              server once it may have reached one
     * @throws ApiException when no server could be reached
     */
    Reply send(Request request, boolean write);

    /**
     * Opens a watch ({@code GET ...?watch=true}).
     *
     * @throws ApiException with the server's {@code Status} when the server refused the watch
     * @throws IOException  when no server could be reached
     */
    WatchStream watch(String pathAndQuery) throws IOException;

    /** The events of one open watch, each a JSON object {@code {"type": ..., "object": ...}}. */
    interface WatchStream extends Closeable {
        /**
         * A parser positioned on the next event's opening brace, valid until the next call; empty
         * once the watch has ended. Blocks until an event comes.
         */
        Optional<JsonParser> next() throws IOException;

        /** Ends the watch; a blocked {@link #next} returns soon after. */
        @Override
        void close();
    }

    @Override
    void close();
}
