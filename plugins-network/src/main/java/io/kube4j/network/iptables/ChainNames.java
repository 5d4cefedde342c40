package io.kube4j.network.iptables;

import io.kube4j.api.proxy.ServicePortName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The per-service and per-endpoint chain names, hashed as kube-proxy hashes them, so that a node
 * moved from kube-proxy to kube4j (or back) finds its chains under the same names: the first 16
 * characters of the base32 of the SHA-256 of the port's name ({@code ns/svc:port}), its lower-case
 * protocol and, for an endpoint, its {@code ip:port}.
 */
final class ChainNames {
    static final String SERVICE_PREFIX = "KUBE-SVC-";
    static final String LOCAL_PREFIX = "KUBE-SVL-";
    static final String EXTERNAL_PREFIX = "KUBE-EXT-";
    static final String ENDPOINT_PREFIX = "KUBE-SEP-";

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private ChainNames() {
    }

    /** KUBE-SVC-...: all usable endpoints of the port. */
    static String service(ServicePortName port) {
        return SERVICE_PREFIX + portHash(port);
    }

    /** KUBE-SVL-...: the port's usable endpoints on this node, for LOCAL traffic policies. */
    static String local(ServicePortName port) {
        return LOCAL_PREFIX + portHash(port);
    }

    /** KUBE-EXT-...: node ports, external and load-balancer IPs of the port. */
    static String external(ServicePortName port) {
        return EXTERNAL_PREFIX + portHash(port);
    }

    /** KUBE-SEP-...: DNAT to one endpoint of the port. */
    static String endpoint(ServicePortName port, String address) {
        return ENDPOINT_PREFIX + hash16(port + protocol(port) + address);
    }

    /** Whether {@code chain} is one of the per-service or per-endpoint chains this mode owns. */
    static boolean isPerService(String chain) {
        return chain.startsWith(SERVICE_PREFIX) || chain.startsWith(LOCAL_PREFIX)
                || chain.startsWith(EXTERNAL_PREFIX) || chain.startsWith(ENDPOINT_PREFIX);
    }

    private static String portHash(ServicePortName port) {
        return hash16(port + protocol(port));
    }

    private static String protocol(ServicePortName port) {
        return port.protocol().name().toLowerCase(Locale.ROOT);
    }

    /** The first 16 base32 characters (80 bits) of the SHA-256 of {@code text}. */
    private static String hash16(String text) {
        byte[] digest = sha256(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(16);
        // 16 base32 characters are exactly the first 10 bytes, so no padding ever enters.
        for (int group = 0; group < 2; group++) {
            long bits = 0;
            for (int i = 0; i < 5; i++) {
                bits = (bits << 8) | (digest[group * 5 + i] & 0xff);
            }
            for (int shift = 35; shift >= 0; shift -= 5) {
                out.append(BASE32[(int) (bits >>> shift) & 31]);
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
