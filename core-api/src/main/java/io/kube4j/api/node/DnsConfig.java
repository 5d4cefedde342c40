package io.kube4j.api.node;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The pod's {@code /etc/resolv.conf}: nameservers, search domains and options ({@code ndots:5}). */
public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {
    public DnsConfig {
        servers = List.copyOf(requireNonNull(servers, "servers is null"));
        searches = List.copyOf(requireNonNull(searches, "searches is null"));
        options = List.copyOf(requireNonNull(options, "options is null"));
    }

    public static final DnsConfig NONE = new DnsConfig(List.of(), List.of(), List.of());

    /** The file's text, in resolv.conf syntax. */
    public String toResolvConf() {
        StringBuilder text = new StringBuilder();
        servers.forEach(server -> text.append("nameserver ").append(server).append('\n'));
        if (!searches.isEmpty()) {
            text.append("search ").append(String.join(" ", searches)).append('\n');
        }
        if (!options.isEmpty()) {
            text.append("options ").append(String.join(" ", options)).append('\n');
        }
        return text.toString();
    }
}
