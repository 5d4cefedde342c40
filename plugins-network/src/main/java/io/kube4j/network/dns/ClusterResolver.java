package io.kube4j.network.dns;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers the names of the cluster domain from {@link ClusterRecords}, the way CoreDNS's
 * kubernetes plugin does (the DNS specification for Kubernetes): {@code <svc>.<ns>.svc.<domain>}
 * A (the ClusterIP; a headless Service's ready endpoints; an ExternalName Service's CNAME), SRV
 * {@code _<port>._<proto>.<svc>.<ns>.svc.<domain>}, {@code <endpoint>.<svc>.<ns>.svc.<domain>}
 * for a headless Service's endpoints (hostname or dashed IP), and {@code <a-b-c-d>.<ns>.pod.<domain>}
 * for an IP a pod of that namespace has. Other names in the domain are NXDOMAIN; names that exist
 * but lack the asked type get an empty answer (NODATA). Thread-safe; never blocks.
 */
final class ClusterResolver {
    private final ClusterRecords records;
    private final String domain;
    private final String dotDomain;
    private final Name origin;
    private final long ttl;
    private final SOARecord soa;

    ClusterResolver(ClusterRecords records, String domain, long ttl) {
        this.records = requireNonNull(records, "records is null");
        this.domain = domain;
        this.dotDomain = "." + domain;
        this.ttl = ttl;
        try {
            this.origin = Name.fromString(domain + ".");
            this.soa = new SOARecord(origin, DClass.IN, ttl, Name.fromString("ns.dns." + domain + "."),
                    Name.fromString("hostmaster." + domain + "."), 1, 7200, 1800, 86400, ttl);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("domain is not a DNS name: " + domain, e);
        }
    }

    /** Whether the query asks about a name of the cluster domain (else it is forwarded). */
    boolean isClusterName(Name name) {
        return name.subdomain(origin);
    }

    /** The response to a query of the cluster domain, or to a malformed or non-QUERY one. */
    Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.getHeader().setFlag(Flags.RA);
        Record question = query.getQuestion();
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(Rcode.NOTIMP);
            return response;
        }
        response.getHeader().setFlag(Flags.AA);
        Name qname = question.getName();
        int qtype = question.getType();
        Optional<List<Record>> found = lookup(qname, qtype, response);
        if (found.isEmpty()) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soa, Section.AUTHORITY);
            return response;
        }
        for (Record r : found.get()) {
            response.addRecord(r, Section.ANSWER);
        }
        if (found.get().isEmpty()) {
            response.addRecord(soa, Section.AUTHORITY);
        }
        return response;
    }

    /** The records of {@code qtype} at {@code qname}; empty optional: the name does not exist. */
    private Optional<List<Record>> lookup(Name qname, int qtype, Message response) {
        String name = qname.toString(true).toLowerCase(Locale.ROOT);
        if (name.equals(domain)) {
            return Optional.of(qtype == Type.SOA || qtype == Type.ANY ? List.of(soa) : List.of());
        }
        String[] labels = name.substring(0, name.length() - dotDomain.length()).split("\\.");
        int n = labels.length;
        if (n == 3 && labels[2].equals("pod")) {
            return pod(qname, qtype, labels[0], labels[1]);
        }
        if (n < 3 || !labels[n - 1].equals("svc")) {
            return Optional.empty();
        }
        String ns = labels[n - 2];
        String svcName = labels[n - 3];
        Optional<Service> svc = records.service(ns, svcName);
        if (svc.isEmpty()) {
            return Optional.empty();
        }
        if (n == 3) {
            return Optional.of(service(qname, qtype, svc.get(), response));
        }
        if (n == 4) {
            return endpoint(qname, qtype, svc.get(), labels[0]);
        }
        if (n == 5 && labels[0].startsWith("_") && labels[1].startsWith("_")) {
            return srv(qname, qtype, svc.get(), labels[0].substring(1), labels[1].substring(1), response);
        }
        return Optional.empty();
    }

    private Optional<List<Record>> pod(Name qname, int qtype, String dashed, String ns) {
        String ip = dashed.replace('-', '.');
        if (!ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || !records.hasPodIp(ns, ip)) {
            return Optional.empty();
        }
        return Optional.of(qtype == Type.A || qtype == Type.ANY ? List.of(a(qname, ip)) : List.of());
    }

    private List<Record> service(Name qname, int qtype, Service svc, Message response) {
        String type = svc.getSpec().getType() == null ? "ClusterIP" : svc.getSpec().getType();
        if (type.equals("ExternalName")) {
            String target = svc.getSpec().getExternalName();
            if (target == null || target.isEmpty()) {
                return List.of();
            }
            return List.of(new CNAMERecord(qname, DClass.IN, ttl, absolute(target)));
        }
        if (qtype == Type.SRV) {
            List<Record> out = new ArrayList<>();
            for (ServicePort p : ports(svc)) {
                if (p.getName() != null && !p.getName().isEmpty()) {
                    out.addAll(srvRecords(qname, svc, p.getName(), protocol(p.getProtocol()), response));
                }
            }
            return out;
        }
        if (qtype != Type.A && qtype != Type.ANY) {
            return List.of();
        }
        if (headless(svc)) {
            List<Record> out = new ArrayList<>();
            for (String ip : readyAddresses(svc).values()) {
                out.add(a(qname, ip));
            }
            return out;
        }
        String ip = svc.getSpec().getClusterIP();
        return ip == null || ip.isEmpty() ? List.of() : List.of(a(qname, ip));
    }

    /** {@code <hostname or a-b-c-d>.<svc>.<ns>.svc}: one endpoint of a headless Service. */
    private Optional<List<Record>> endpoint(Name qname, int qtype, Service svc, String label) {
        if (!headless(svc)) {
            return Optional.empty();
        }
        String ip = readyAddresses(svc).get(label);
        if (ip == null) {
            return Optional.empty();
        }
        return Optional.of(qtype == Type.A || qtype == Type.ANY ? List.of(a(qname, ip)) : List.of());
    }

    private Optional<List<Record>> srv(Name qname, int qtype, Service svc, String port, String proto, Message response) {
        List<Record> records = srvRecords(qname, svc, port, proto, response);
        if (records.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(qtype == Type.SRV || qtype == Type.ANY ? records : List.of());
    }

    /** SRV records of the named port, with their targets' A records added to the additional section. */
    private List<Record> srvRecords(Name qname, Service svc, String port, String proto, Message response) {
        String ns = svc.getMetadata().getNamespace();
        String svcName = svc.getMetadata().getName();
        Name serviceName = absolute(svcName + "." + ns + ".svc." + domain);
        List<Record> out = new ArrayList<>();
        if (!headless(svc)) {
            for (ServicePort p : ports(svc)) {
                if (port.equalsIgnoreCase(String.valueOf(p.getName())) && proto.equalsIgnoreCase(protocol(p.getProtocol()))) {
                    out.add(new SRVRecord(qname, DClass.IN, ttl, 0, 100, p.getPort(), serviceName));
                    String ip = svc.getSpec().getClusterIP();
                    if (ip != null && !ip.isEmpty()) {
                        response.addRecord(a(serviceName, ip), Section.ADDITIONAL);
                    }
                }
            }
            return out;
        }
        Map<String, String> addresses = readyAddresses(svc);
        for (EndpointSlice slice : records.slices(ns, svcName)) {
            for (EndpointPort p : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
                if (p.getPort() == null || !port.equalsIgnoreCase(String.valueOf(p.getName()))
                        || !proto.equalsIgnoreCase(protocol(p.getProtocol()))) {
                    continue;
                }
                int weight = addresses.isEmpty() ? 100 : Math.max(1, 100 / addresses.size());
                for (Map.Entry<String, String> e : addresses.entrySet()) {
                    Name target = absolute(e.getKey() + "." + svcName + "." + ns + ".svc." + domain);
                    out.add(new SRVRecord(qname, DClass.IN, ttl, 0, weight, p.getPort(), target));
                    response.addRecord(a(target, e.getValue()), Section.ADDITIONAL);
                }
                return out;
            }
        }
        return out;
    }

    /** A headless Service's ready endpoint addresses (all with publishNotReadyAddresses), by hostname or dashed IP. */
    private Map<String, String> readyAddresses(Service svc) {
        boolean all = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
        Map<String, String> out = new LinkedHashMap<>();
        for (EndpointSlice slice : records.slices(svc.getMetadata().getNamespace(), svc.getMetadata().getName())) {
            if (slice.getAddressType() != null && !slice.getAddressType().equals("IPv4")) {
                continue;
            }
            for (Endpoint ep : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
                boolean ready = ep.getConditions() == null || ep.getConditions().getReady() == null
                        || ep.getConditions().getReady();
                if (!ready && !all) {
                    continue;
                }
                for (String ip : ep.getAddresses()) {
                    String label = ep.getHostname() != null && !ep.getHostname().isEmpty() ? ep.getHostname()
                            : ip.replace('.', '-');
                    out.putIfAbsent(label, ip);
                }
            }
        }
        return out;
    }

    private static boolean headless(Service svc) {
        return "None".equals(svc.getSpec().getClusterIP());
    }

    private static List<ServicePort> ports(Service svc) {
        return svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
    }

    private static String protocol(String p) {
        return p == null || p.isEmpty() ? "tcp" : p.toLowerCase(Locale.ROOT);
    }

    private ARecord a(Name name, String ip) {
        try {
            return new ARecord(name, DClass.IN, ttl, InetAddress.getByAddress(toBytes(ip)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an IPv4 address: " + ip, e);
        }
    }

    private static byte[] toBytes(String ip) {
        String[] parts = ip.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            b[i] = (byte) v;
        }
        return b;
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }
}
