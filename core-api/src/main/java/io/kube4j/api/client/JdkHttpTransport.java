package io.kube4j.api.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * {@link ApiTransport} over HTTP(S) with the JDK's client. On a connection failure the next
 * server of the config is tried, and the one that answered is remembered.
 */
final class JdkHttpTransport implements ApiTransport {
    private final ApiClientConfig config;
    private final HttpClient http;
    private final AtomicInteger current = new AtomicInteger();

    JdkHttpTransport(ApiClientConfig config) {
        this.config = config;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("apiclient-", 0).factory()));
        if (config.servers().stream().anyMatch(u -> "https".equals(u.getScheme()))) {
            builder.sslContext(sslContext(config));
        }
        this.http = builder.build();
    }

    @Override
    public Reply send(Request request, boolean write) {
        HttpResponse<byte[]> response = sendOnce(request(request, config.requestTimeout()), write);
        return new Reply(response.statusCode(), response.body(),
                response.headers().firstValueAsLong("Retry-After").orElse(0));
    }

    @Override
    public WatchStream watch(String pathAndQuery) throws IOException {
        HttpResponse<InputStream> response = sendStreaming(request(new Request("GET", pathAndQuery, null, null), null));
        InputStream in = response.body();
        if (response.statusCode() >= 300) {
            try (in) {
                throw HttpApiClient.error(response.statusCode(), in.readAllBytes());
            }
        }
        JsonParser parser = HttpApiClient.mapper().createParser(in);
        return new WatchStream() {
            @Override
            public Optional<JsonParser> next() throws IOException {
                return parser.nextToken() == JsonToken.START_OBJECT ? Optional.of(parser) : Optional.empty();
            }

            @Override
            public void close() {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // the reader sees the stream end and stops
                }
            }
        };
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest request(Request r, Duration timeout) {
        URI base = config.servers().get(Math.floorMod(current.get(), config.servers().size()));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(r.pathAndQuery()))
                .header("Accept", "application/json")
                .header("User-Agent", "kube4j-apiclient")
                .method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        config.bearerToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b.build();
    }

    private HttpResponse<byte[]> sendOnce(HttpRequest request, boolean write) {
        int servers = config.servers().size();
        IOException last = null;
        for (int attempt = 0; attempt < servers; attempt++) {
            HttpRequest r = attempt == 0 ? request : rebase(request);
            try {
                return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
            } catch (ConnectException e) {
                last = e;
                current.incrementAndGet();
            } catch (IOException e) {
                if (write) {
                    throw new ApiException(r.method() + " " + r.uri() + " failed: " + e.getMessage(), e);
                }
                last = e;
                current.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException("interrupted", e);
            }
        }
        throw new ApiException("no API server answered " + request.method() + " " + request.uri().getPath()
                + ": " + last, last);
    }

    private HttpResponse<InputStream> sendStreaming(HttpRequest request) throws IOException {
        int servers = config.servers().size();
        IOException last = null;
        for (int attempt = 0; attempt < servers; attempt++) {
            HttpRequest r = attempt == 0 ? request : rebase(request);
            try {
                return http.send(r, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                last = e;
                current.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw last;
    }

    private HttpRequest rebase(HttpRequest request) {
        URI base = config.servers().get(Math.floorMod(current.get(), config.servers().size()));
        URI old = request.uri();
        URI uri = base.resolve(old.getRawPath() + (old.getRawQuery() == null ? "" : "?" + old.getRawQuery()));
        return HttpRequest.newBuilder(request, (n, v) -> true).uri(uri).build();
    }

    private static SSLContext sslContext(ApiClientConfig config) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (config.insecure()) {
                ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
                return ctx;
            }
            if (config.caCertificatePem().isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            int i = 0;
            for (var cert : cf.generateCertificates(new ByteArrayInputStream(
                    config.caCertificatePem().get().getBytes(StandardCharsets.US_ASCII)))) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot set up TLS for the API client: " + e.getMessage(), e);
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
