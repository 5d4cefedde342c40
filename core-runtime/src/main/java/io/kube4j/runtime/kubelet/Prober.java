package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.kube4j.api.node.ContainerRuntime;
import io.kube4j.api.node.ContainerRuntimeException;
import io.kube4j.api.node.ExecSyncResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs one probe of a container once, as the kubelet's {@code prober.runProbe} does: exec through
 * the runtime's {@code execSync} (exit code 0 succeeds), httpGet (a status in [200, 400)
 * succeeds; redirects are not followed, so a 3xx succeeds) and tcpSocket (a connection
 * succeeds). The host of httpGet and tcpSocket defaults to the pod's IP; a port may be a number or
 * the name of one of the container's ports. Stateless; blocks up to the probe's timeout.
 */
final class Prober {
    /** The kubelet reads at most this much of an httpGet probe's body, as {@code probe/http} does. */
    static final int MAX_BODY = 10 * 1024;
    static final String USER_AGENT = "kube-probe/1.32";

    /** A probe's outcome; {@code ERROR} means the probe could not run at all, and its result is thrown away. */
    enum Outcome { SUCCESS, FAILURE, ERROR }

    record Result(Outcome outcome, String output) {
        Result {
            requireNonNull(outcome, "outcome is null");
            requireNonNull(output, "output is null");
        }

        static Result success(String output) {
            return new Result(Outcome.SUCCESS, output);
        }

        static Result failure(String output) {
            return new Result(Outcome.FAILURE, output);
        }
    }

    private final ContainerRuntime runtime;

    Prober(ContainerRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime is null");
    }

    /** Whether the container still runs: a probe that errored on a container that just ended says nothing. */
    boolean running(String containerId) {
        return runtime.containerStatus(containerId)
                .map(s -> s.state() == io.kube4j.api.node.ContainerState.RUNNING).orElse(false);
    }

    /** The probe's timeout: {@code timeoutSeconds}, default 1 s. */
    static Duration timeout(Probe probe) {
        Integer seconds = probe.getTimeoutSeconds();
        return Duration.ofSeconds(seconds == null || seconds < 1 ? 1 : seconds);
    }

    /**
     * Probes the container {@code containerId} (made from {@code spec}) of a pod whose IP is {@code podIp}.
     */
    Result probe(Probe probe, Container spec, String containerId, String podIp) {
        Duration timeout = timeout(probe);
        if (probe.getExec() != null) {
            return exec(probe.getExec().getCommand() == null ? List.of() : probe.getExec().getCommand(), containerId, timeout);
        }
        if (probe.getHttpGet() != null) {
            var http = probe.getHttpGet();
            String host = blankToEmpty(http.getHost()).orElse(podIp);
            String scheme = blankToEmpty(http.getScheme()).orElse("HTTP").toLowerCase(java.util.Locale.ROOT);
            Optional<Integer> port = port(http.getPort(), spec);
            if (port.isEmpty()) {
                return new Result(Outcome.ERROR, "unknown port " + portText(http.getPort()) + " of container " + spec.getName());
            }
            String path = blankToEmpty(http.getPath()).orElse("/");
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            return httpGet(URI.create(scheme + "://" + hostPort(host, port.get()) + path),
                    http.getHttpHeaders() == null ? List.of() : http.getHttpHeaders(), timeout);
        }
        if (probe.getTcpSocket() != null) {
            String host = blankToEmpty(probe.getTcpSocket().getHost()).orElse(podIp);
            Optional<Integer> port = port(probe.getTcpSocket().getPort(), spec);
            if (port.isEmpty()) {
                return new Result(Outcome.ERROR, "unknown port " + portText(probe.getTcpSocket().getPort())
                        + " of container " + spec.getName());
            }
            return tcp(host, port.get(), timeout);
        }
        if (probe.getGrpc() != null) {
            return new Result(Outcome.ERROR, "grpc probes are not supported by this kubelet");
        }
        return new Result(Outcome.ERROR, "the probe has no handler (exec, httpGet or tcpSocket)");
    }

    private Result exec(List<String> command, String containerId, Duration timeout) {
        if (command.isEmpty()) {
            return new Result(Outcome.ERROR, "exec probe without a command");
        }
        ExecSyncResult result;
        try {
            result = runtime.execSync(containerId, command, timeout);
        } catch (ContainerRuntimeException e) {
            return new Result(Outcome.ERROR, e.getMessage());
        }
        String output = (result.stdoutUtf8() + result.stderrUtf8()).strip();
        if (result.exitCode() == -1) {
            return Result.failure("command " + quoted(command) + " timed out");
        }
        return result.exitCode() == 0 ? Result.success(output) : Result.failure(output);
    }

    private static String quoted(List<String> command) {
        return "\"" + String.join(" ", command) + "\"";
    }

    static Result httpGet(URI uri, List<HTTPHeader> headers, Duration timeout) {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection(java.net.Proxy.NO_PROXY);
        } catch (IOException | IllegalArgumentException e) {
            return new Result(Outcome.ERROR, "bad probe URL " + uri + ": " + e.getMessage());
        }
        try {
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setUseCaches(false);
            connection.setRequestProperty("User-Agent", USER_AGENT);
            connection.setRequestProperty("Accept", "*/*");
            for (HTTPHeader header : headers) {
                if (header.getName() != null && !header.getName().isBlank()) {
                    connection.setRequestProperty(header.getName(), Optional.ofNullable(header.getValue()).orElse(""));
                }
            }
            int code = connection.getResponseCode();
            InputStream in = code >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String body = "";
            if (in != null) {
                try (in) {
                    body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
                }
            }
            if (code >= 200 && code < 400) {
                return Result.success(body);
            }
            return Result.failure("HTTP probe failed with statuscode: " + code);
        } catch (SocketTimeoutException e) {
            return Result.failure("Get \"" + uri + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        } catch (ConnectException e) {
            return Result.failure("Get \"" + uri + "\": dial tcp " + uri.getHost() + ":" + uri.getPort()
                    + ": connect: connection refused");
        } catch (IOException e) {
            return Result.failure("Get \"" + uri + "\": " + e.getMessage());
        } finally {
            connection.disconnect();
        }
    }

    static Result tcp(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return Result.success("");
        } catch (SocketTimeoutException e) {
            return Result.failure("dial tcp " + hostPort(host, port) + ": i/o timeout");
        } catch (ConnectException e) {
            return Result.failure("dial tcp " + hostPort(host, port) + ": connect: connection refused");
        } catch (IOException e) {
            return Result.failure("dial tcp " + hostPort(host, port) + ": " + e.getMessage());
        }
    }

    /** The port as a number, or the number of the container's port of that name. */
    static Optional<Integer> port(IntOrString port, Container spec) {
        if (port == null) {
            return Optional.empty();
        }
        if (port.getIntVal() != null) {
            return port.getIntVal() > 0 && port.getIntVal() < 65536 ? Optional.of(port.getIntVal()) : Optional.empty();
        }
        String name = Optional.ofNullable(port.getStrVal()).orElse("");
        if (name.matches("[0-9]+")) {
            return port(new IntOrString(Integer.parseInt(name)), spec);
        }
        return Optional.ofNullable(spec.getPorts()).orElse(List.of()).stream()
                .filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort).findFirst();
    }

    private static String portText(IntOrString port) {
        return port == null ? "<none>" : port.getIntVal() != null ? port.getIntVal().toString() : "\"" + port.getStrVal() + "\"";
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static Optional<String> blankToEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
