package io.kube4j.apiserver.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Fields;

/**
 * One request to the API server and the means to answer it, whatever carried it: an HTTP
 * connection ({@link JettyExchange}) or a component calling from the same JVM
 * ({@link LocalTransport}). {@link ApiHandler} serves both the same way, from authentication to
 * the answer; only the bytes' way in and out differs.
 */
interface Exchange {
    String method();

    /** The path, percent-decoded. */
    String path();

    /** The query string as sent, or null. */
    String rawQuery();

    Fields query();

    /** The first value of a header, or null. */
    String header(String name);

    /** Every header, names in lower case, as an authenticator reads them. */
    Map<String, List<String>> headers();

    String remoteAddress();

    /** The body's length as declared by the client, or -1 when it did not say. */
    long declaredLength();

    InputStream body() throws IOException;

    void status(int code);

    /** Sets a header of the answer, replacing any earlier value. */
    void setHeader(String name, String value);

    /** Adds a header of the answer beside any earlier value (Warning). */
    void addHeader(String name, String value);

    /** The answer's body; status and headers are sent with its first byte. */
    OutputStream output() throws IOException;
}
