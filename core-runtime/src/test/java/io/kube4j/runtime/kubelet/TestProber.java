package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.kube4j.api.event.EventRecorder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestProber {
    private HttpServer server;
    private final AtomicReference<String> seenAgent = new AtomicReference<>();
    private final AtomicReference<String> seenHeader = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", exchange -> {
            seenAgent.set(exchange.getRequestHeaders().getFirst("User-Agent"));
            seenHeader.set(exchange.getRequestHeaders().getFirst("X-Probe"));
            byte[] body = "fine".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://elsewhere.invalid/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    @Test
    void httpGetSucceedsOn2xxAnd3xxAndFailsOtherwise() {
        Prober.Result ok = Prober.httpGet(URI.create("http://127.0.0.1:" + port() + "/ok"),
                List.of(new HTTPHeader("X-Probe", "yes")), Duration.ofSeconds(1));
        assertThat(ok.outcome()).isEqualTo(Prober.Outcome.SUCCESS);
        assertThat(ok.output()).isEqualTo("fine");
        assertThat(seenAgent.get()).isEqualTo("kube-probe/1.32");
        assertThat(seenHeader.get()).isEqualTo("yes");
        assertThat(Prober.httpGet(URI.create("http://127.0.0.1:" + port() + "/moved"), List.of(), Duration.ofSeconds(1))
                .outcome()).isEqualTo(Prober.Outcome.SUCCESS);
        Prober.Result broken = Prober.httpGet(URI.create("http://127.0.0.1:" + port() + "/broken"), List.of(),
                Duration.ofSeconds(1));
        assertThat(broken).isEqualTo(Prober.Result.failure("HTTP probe failed with statuscode: 500"));
        assertThat(Prober.httpGet(URI.create("http://127.0.0.1:" + port() + "/missing"), List.of(), Duration.ofSeconds(1)))
                .isEqualTo(Prober.Result.failure("HTTP probe failed with statuscode: 404"));
    }

    @Test
    void httpGetAndTcpFailWhenNothingListens() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Prober.Result http = Prober.httpGet(URI.create("http://127.0.0.1:" + closed + "/"), List.of(), Duration.ofSeconds(1));
        assertThat(http.outcome()).isEqualTo(Prober.Outcome.FAILURE);
        assertThat(http.output()).contains("connection refused");
        assertThat(Prober.tcp("127.0.0.1", closed, Duration.ofSeconds(1)))
                .isEqualTo(Prober.Result.failure("dial tcp 127.0.0.1:" + closed + ": connect: connection refused"));
        assertThat(Prober.tcp("127.0.0.1", port(), Duration.ofSeconds(1)).outcome()).isEqualTo(Prober.Outcome.SUCCESS);
    }

    @Test
    void portsAreNumbersOrTheContainersPortNames() {
        Container c = new ContainerBuilder().withName("web").addNewPort().withName("http").withContainerPort(8080).endPort().build();
        assertThat(Prober.port(new IntOrString(81), c)).contains(81);
        assertThat(Prober.port(new IntOrString("http"), c)).contains(8080);
        assertThat(Prober.port(new IntOrString("9090"), c)).contains(9090);
        assertThat(Prober.port(new IntOrString("nope"), c)).isEmpty();
        assertThat(Prober.port(new IntOrString(0), c)).isEmpty();
    }

    /** A runtime the thresholds test never calls: it feeds outcomes to the worker directly. */
    private static io.kube4j.api.node.ContainerRuntime unusedRuntime() {
        return (io.kube4j.api.node.ContainerRuntime) java.lang.reflect.Proxy.newProxyInstance(
                TestProber.class.getClassLoader(), new Class<?>[] {io.kube4j.api.node.ContainerRuntime.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ProbeWorker worker(ProbeWorker.Kind kind, Probe probe) {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata().build();
        EventRecorder events = (regarding, type, reason, format, args) -> { };
        return new ProbeWorker(kind, probe, new ContainerBuilder().withName("c").build(), "id", Instant.EPOCH,
                () -> "127.0.0.1", new Prober(unusedRuntime()), () -> true, () -> { }, pod, events,
                Clock.systemUTC());
    }

    @Test
    void verdictsChangeOnlyAfterTheThresholdsInARow() {
        ProbeWorker readiness = worker(ProbeWorker.Kind.READINESS, new ProbeBuilder().withSuccessThreshold(2)
                .withFailureThreshold(2).build());
        assertThat(readiness.result()).isEqualTo(ProbeWorker.Result.FAILURE);
        assertThat(readiness.observe(Prober.Outcome.SUCCESS)).isFalse();
        assertThat(readiness.observe(Prober.Outcome.FAILURE)).isFalse();
        assertThat(readiness.observe(Prober.Outcome.SUCCESS)).isFalse();
        assertThat(readiness.observe(Prober.Outcome.SUCCESS)).isTrue();
        assertThat(readiness.result()).isEqualTo(ProbeWorker.Result.SUCCESS);
        assertThat(readiness.observe(Prober.Outcome.FAILURE)).isFalse();
        assertThat(readiness.observe(Prober.Outcome.FAILURE)).isTrue();
        assertThat(readiness.result()).isEqualTo(ProbeWorker.Result.FAILURE);

        ProbeWorker liveness = worker(ProbeWorker.Kind.LIVENESS, new ProbeBuilder().build());
        assertThat(liveness.result()).isEqualTo(ProbeWorker.Result.SUCCESS);
        assertThat(liveness.observe(Prober.Outcome.FAILURE)).isFalse();
        assertThat(liveness.observe(Prober.Outcome.FAILURE)).isFalse();
        assertThat(liveness.observe(Prober.Outcome.FAILURE)).as("failureThreshold defaults to 3").isTrue();

        ProbeWorker startup = worker(ProbeWorker.Kind.STARTUP, new ProbeBuilder().withFailureThreshold(1).build());
        assertThat(startup.result()).isEqualTo(ProbeWorker.Result.UNKNOWN);
        assertThat(startup.observe(Prober.Outcome.SUCCESS)).isTrue();
        assertThat(startup.result()).isEqualTo(ProbeWorker.Result.SUCCESS);
        assertThat(Optional.of(Prober.timeout(new ProbeBuilder().build()))).contains(Duration.ofSeconds(1));
    }
}
