package io.kube4j.network.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * Sends queries outside the cluster domain to upstream resolvers, in order, over the transport the
 * query came on; SERVFAIL when none answers (CoreDNS's forward plugin, without its health checks).
 * Blocks for at most the upstreams' timeouts: call it off the receiving thread. Thread-safe.
 */
final class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final List<InetSocketAddress> upstreams;

    Forwarder(List<InetSocketAddress> upstreams) {
        this.upstreams = List.copyOf(upstreams);
    }

    List<InetSocketAddress> upstreams() {
        return upstreams;
    }

    /** {@code host} or {@code host:port} (port 53 by default). */
    static InetSocketAddress parse(String upstream) {
        String s = upstream.strip();
        int colon = s.lastIndexOf(':');
        if (colon > 0 && s.indexOf(':') == colon) {
            return new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        }
        return new InetSocketAddress(s, 53);
    }

    /** The {@code nameserver} lines of a resolv.conf; none if it cannot be read. */
    static List<InetSocketAddress> fromResolvConf(Path file) {
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] words = line.strip().split("\\s+");
                if (words.length >= 2 && words[0].equals("nameserver")) {
                    out.add(new InetSocketAddress(words[1], 53));
                }
            }
        } catch (IOException e) {
            log.warn("dns: cannot read {}: {}; names outside the cluster domain get SERVFAIL", file, e.toString());
        }
        return out;
    }

    Message forward(Message query, boolean tcp) {
        for (InetSocketAddress upstream : upstreams) {
            try {
                SimpleResolver resolver = new SimpleResolver(upstream);
                resolver.setTCP(tcp);
                resolver.setTimeout(TIMEOUT);
                Message answer = resolver.send(query.clone());
                answer.getHeader().setID(query.getHeader().getID());
                return answer;
            } catch (IOException e) {
                log.debug("dns: upstream {} failed: {}", upstream, e.toString());
            }
        }
        Message failure = new Message(query.getHeader().getID());
        failure.getHeader().setFlag(Flags.QR);
        failure.getHeader().setRcode(Rcode.SERVFAIL);
        if (query.getQuestion() != null) {
            failure.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return failure;
    }
}
