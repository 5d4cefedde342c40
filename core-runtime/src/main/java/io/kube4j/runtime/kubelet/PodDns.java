package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.kube4j.api.node.DnsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod's {@code resolv.conf}, as the kubelet's DNS configurer makes it from {@code spec.dnsPolicy}:
 * <ul>
 *   <li>{@code ClusterFirst} (the default) on the pod's own network, and {@code ClusterFirstWithHostNet}:
 *       the node's {@code clusterDNS} servers, the searches {@code <ns>.svc.<domain> svc.<domain> <domain>}
 *       followed by the node's, and {@code ndots:5}. Without {@code clusterDNS} it falls back to
 *       {@code Default}, as the kubelet does (which then records MissingClusterDNS);</li>
 *   <li>{@code ClusterFirst} with {@code hostNetwork}, and {@code Default}: the node's own resolv.conf;</li>
 *   <li>{@code None}: nothing but {@code spec.dnsConfig}.</li>
 * </ul>
 * The pod's {@code spec.dnsConfig} is then merged in: its nameservers and searches appended (without
 * duplicates), its options replacing those of the same name. At most 3 nameservers and 32 searches
 * are kept, as the kubelet's limits. Pure apart from reading the node's resolv.conf.
 */
final class PodDns {
    static final int MAX_NAMESERVERS = 3;
    static final int MAX_SEARCHES = 32;

    /**
     * What the node gives its pods.
     *
     * @param clusterDns    the cluster DNS servers (the kube-dns Service's ClusterIP); empty: none
     * @param clusterDomain the cluster's domain (cluster.local)
     * @param host          the node's own resolver configuration
     */
    record NodeDns(List<String> clusterDns, String clusterDomain, DnsConfig host) {
        NodeDns {
            clusterDns = List.copyOf(requireNonNull(clusterDns, "clusterDns is null"));
            requireNonNull(clusterDomain, "clusterDomain is null");
            requireNonNull(host, "host is null");
        }
    }

    private PodDns() {
    }

    /** Whether the pod asks for cluster DNS that the node cannot give (no {@code clusterDNS}): MissingClusterDNS. */
    static boolean missingClusterDns(Pod pod, NodeDns node) {
        return wantsCluster(pod) && node.clusterDns().isEmpty();
    }

    private static boolean wantsCluster(Pod pod) {
        String policy = Optional.ofNullable(pod.getSpec().getDnsPolicy()).orElse("ClusterFirst");
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        return policy.equals("ClusterFirstWithHostNet") || (policy.equals("ClusterFirst") && !hostNetwork);
    }

    /** The pod's resolv.conf. */
    static DnsConfig forPod(Pod pod, NodeDns node) {
        String policy = Optional.ofNullable(pod.getSpec().getDnsPolicy()).orElse("ClusterFirst");
        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        if (policy.equals("None")) {
            // spec.dnsConfig alone
        } else if (wantsCluster(pod) && !node.clusterDns().isEmpty()) {
            servers.addAll(node.clusterDns());
            String domain = node.clusterDomain();
            if (!domain.isEmpty()) {
                searches.add(pod.getMetadata().getNamespace() + ".svc." + domain);
                searches.add("svc." + domain);
                searches.add(domain);
            }
            searches.addAll(node.host().searches());
            options.put("ndots", "5");
        } else {
            servers.addAll(node.host().servers());
            searches.addAll(node.host().searches());
            node.host().options().forEach(o -> putOption(options, o));
        }
        PodDNSConfig extra = pod.getSpec().getDnsConfig();
        if (extra != null) {
            servers.addAll(Optional.ofNullable(extra.getNameservers()).orElse(List.of()));
            searches.addAll(Optional.ofNullable(extra.getSearches()).orElse(List.of()));
            for (PodDNSConfigOption option : Optional.ofNullable(extra.getOptions()).orElse(List.of())) {
                options.put(option.getName(), option.getValue());
            }
        }
        List<String> optionList = new ArrayList<>();
        options.forEach((name, value) -> optionList.add(value == null ? name : name + ":" + value));
        return new DnsConfig(distinct(servers, MAX_NAMESERVERS), distinct(searches, MAX_SEARCHES), optionList);
    }

    private static void putOption(Map<String, String> options, String option) {
        int colon = option.indexOf(':');
        options.put(colon < 0 ? option : option.substring(0, colon), colon < 0 ? null : option.substring(colon + 1));
    }

    private static List<String> distinct(List<String> values, int max) {
        return new LinkedHashSet<>(values).stream().filter(v -> !v.isBlank()).limit(max).toList();
    }

    /** The resolver configuration in a resolv.conf file; none if it cannot be read. */
    static DnsConfig readResolvConf(Path file) {
        try {
            return parseResolvConf(Files.readString(file));
        } catch (IOException e) {
            return DnsConfig.NONE;
        }
    }

    /** Parses resolv.conf text: nameserver lines, the last search (or domain) line, options lines. */
    static DnsConfig parseResolvConf(String text) {
        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            int comment = indexOfComment(line);
            if (comment >= 0) {
                line = line.substring(0, comment).strip();
            }
            String[] words = line.split("\\s+");
            if (words.length < 2) {
                continue;
            }
            List<String> rest = List.of(words).subList(1, words.length);
            switch (words[0]) {
                case "nameserver" -> servers.add(words[1]);
                case "search", "domain" -> {
                    searches.clear();
                    searches.addAll(rest);
                }
                case "options" -> options.addAll(rest);
                default -> {
                }
            }
        }
        return new DnsConfig(servers, searches, options);
    }

    private static int indexOfComment(String line) {
        int hash = line.indexOf('#');
        int semicolon = line.indexOf(';');
        if (hash < 0) {
            return semicolon;
        }
        return semicolon < 0 ? hash : Math.min(hash, semicolon);
    }
}
