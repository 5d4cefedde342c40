package io.kube4j.apiserver.validation;

import static io.kube4j.apiserver.validation.Errors.has;
import static io.kube4j.apiserver.validation.Errors.index;
import static io.kube4j.apiserver.validation.Errors.items;
import static io.kube4j.apiserver.validation.Errors.object;
import static io.kube4j.apiserver.validation.Errors.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Services (core validation's ValidateService and ValidateServiceUpdate), short of IP and port allocation. */
final class ServiceValidation {
    private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> AFFINITIES = List.of("ClientIP", "None");
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    private static final int KUBELET_PORT = 10250;

    private ServiceValidation() {
    }

    static void service(Errors errors, JsonNode service) {
        JsonNode spec = object(service, "spec");
        String type = text(spec, "type");
        boolean headless = text(spec, "clusterIP").equals("None");
        List<JsonNode> ports = items(spec, "ports");
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            errors.required("spec.ports");
        }
        switch (type) {
            case "LoadBalancer" -> {
                for (int i = 0; i < ports.size(); i++) {
                    if (ports.get(i).path("port").asLong() == KUBELET_PORT) {
                        errors.invalid(index("spec.ports", i), KUBELET_PORT,
                                "may not expose port " + KUBELET_PORT + " externally since it is used by kubelet");
                    }
                }
                if (headless) {
                    errors.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for LoadBalancer services");
                }
            }
            case "NodePort" -> {
                if (headless) {
                    errors.invalid("spec.clusterIPs[0]", "None", "may not be set to 'None' for NodePort services");
                }
            }
            case "ExternalName" -> externalName(errors, spec);
            default -> {
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            port(errors, ports.get(i), ports.size() > 1, names, index("spec.ports", i));
        }
        MetaValidation.labels(errors, spec.get("selector"), "spec.selector");
        String affinity = text(spec, "sessionAffinity");
        if (affinity.isEmpty()) {
            errors.required("spec.sessionAffinity");
        } else if (!AFFINITIES.contains(affinity)) {
            errors.notSupported("spec.sessionAffinity", spec.get("sessionAffinity"), AFFINITIES);
        }
        if (type.isEmpty()) {
            errors.required("spec.type");
        } else if (!TYPES.contains(type)) {
            errors.notSupported("spec.type", spec.get("type"), TYPES);
        }
        Set<String> nodePorts = new HashSet<>();
        Set<String> portKeys = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            long nodePort = port.path("nodePort").asLong(0);
            if (type.equals("ClusterIP") && nodePort != 0) {
                errors.forbidden(index("spec.ports", i) + ".nodePort", "may not be used when `type` is 'ClusterIP'");
            }
            if (nodePort != 0 && !nodePorts.add(text(port, "protocol") + "/" + nodePort)) {
                errors.duplicate(index("spec.ports", i) + ".nodePort", port.get("nodePort"));
            }
            if (!portKeys.add(text(port, "protocol") + "/" + port.path("port").asLong())) {
                errors.duplicate(index("spec.ports", i), GoFormat.literal("core.ServicePort{Name:\"\", Protocol:"
                        + GoFormat.quote(text(port, "protocol")) + ", AppProtocol:(*string)(nil), Port:"
                        + port.path("port").asLong()
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, "
                        + "NodePort:0}"));
            }
        }
        clusterIps(errors, spec, type);
        trafficPolicies(errors, spec, type);
    }

    private static void externalName(Errors errors, JsonNode spec) {
        if (!items(spec, "clusterIPs").isEmpty()) {
            errors.forbidden("spec.clusterIPs", "may not be set for ExternalName services");
        }
        if (!items(spec, "ipFamilies").isEmpty()) {
            errors.forbidden("spec.ipFamilies", "may not be set for ExternalName services");
        }
        if (has(spec, "ipFamilyPolicy")) {
            errors.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services");
        }
        String name = text(spec, "externalName");
        String cname = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (cname.isEmpty()) {
            errors.required("spec.externalName");
        } else {
            errors.check("spec.externalName", cname, NameValidation::dns1123Subdomain);
        }
    }

    private static void port(Errors errors, JsonNode port, boolean requireName, Set<String> names, String at) {
        String name = text(port, "name");
        if (requireName && name.isEmpty()) {
            errors.required(at + ".name");
        } else if (!name.isEmpty()) {
            errors.check(at + ".name", name, NameValidation::dns1123Label);
            if (!names.add(name)) {
                errors.duplicate(at + ".name", port.get("name"));
            }
        }
        long number = port.path("port").asLong(0);
        NameValidation.portNumber(number).forEach(msg -> errors.invalid(at + ".port", number, msg));
        String protocol = text(port, "protocol");
        if (protocol.isEmpty()) {
            errors.required(at + ".protocol");
        } else if (!PROTOCOLS.contains(protocol)) {
            errors.notSupported(at + ".protocol", port.get("protocol"), PROTOCOLS);
        }
        JsonNode target = port.get("targetPort");
        if (target != null && target.isTextual()) {
            errors.check(at + ".targetPort", target.asText(), NameValidation::portName);
        } else if (target != null && target.isNumber()) {
            NameValidation.portNumber(target.asLong()).forEach(msg -> errors.invalid(at + ".targetPort",
                    target.asLong(), msg));
        }
    }

    private static void clusterIps(Errors errors, JsonNode spec, String type) {
        if (type.equals("ExternalName")) {
            return;
        }
        List<JsonNode> ips = items(spec, "clusterIPs");
        String clusterIp = text(spec, "clusterIP");
        if (!clusterIp.isEmpty() && !ips.isEmpty() && !ips.get(0).asText().equals(clusterIp)) {
            errors.invalid("spec.clusterIP", clusterIp, "must match first value in `clusterIPs`");
        }
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i).asText();
            if (ip.equals("None")) {
                if (i > 0 || ips.size() > 1) {
                    errors.invalid(index("spec.clusterIPs", i), ip, "'None' must be the first and only value");
                }
            } else if (!ip.isEmpty() && !IpAddresses.isIp(ip)) {
                errors.invalid(index("spec.clusterIPs", i), ip,
                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
            }
        }
    }

    private static void trafficPolicies(Errors errors, JsonNode spec, String type) {
        String external = text(spec, "externalTrafficPolicy");
        boolean externallyAccessible = type.equals("NodePort") || type.equals("LoadBalancer")
                || (type.equals("ClusterIP") && !items(spec, "externalIPs").isEmpty());
        if (!external.isEmpty()) {
            if (!externallyAccessible) {
                errors.invalid("spec.externalTrafficPolicy", external,
                        "may only be set for externally-accessible services");
            } else if (!TRAFFIC_POLICIES.contains(external)) {
                errors.notSupported("spec.externalTrafficPolicy", spec.get("externalTrafficPolicy"), TRAFFIC_POLICIES);
            }
        } else if (externallyAccessible) {
            errors.required("spec.externalTrafficPolicy");
        }
        String internal = text(spec, "internalTrafficPolicy");
        if (!internal.isEmpty() && !TRAFFIC_POLICIES.contains(internal)) {
            errors.notSupported("spec.internalTrafficPolicy", spec.get("internalTrafficPolicy"), TRAFFIC_POLICIES);
        }
    }

    /**
     * ValidateServiceUpdate's rule that assigned cluster IPs stay. A request that leaves clusterIP or clusterIPs out
     * keeps the stored ones (the server copies them, as kube-apiserver does), so only a changed value is an error.
     */
    static void serviceUpdate(Errors errors, JsonNode service, JsonNode old) {
        JsonNode spec = object(service, "spec");
        JsonNode oldSpec = object(old, "spec");
        if (text(spec, "type").equals("ExternalName") || text(oldSpec, "type").equals("ExternalName")) {
            return;
        }
        List<JsonNode> ips = items(spec, "clusterIPs");
        List<JsonNode> oldIps = items(oldSpec, "clusterIPs");
        for (int i = 0; i < Math.min(ips.size(), oldIps.size()); i++) {
            if (!ips.get(i).asText().equals(oldIps.get(i).asText())) {
                errors.invalid(index("spec.clusterIPs", i),
                        GoFormat.literal(GoFormat.stringSlice(spec.get("clusterIPs"))), "may not change once set");
            }
        }
        String ip = text(spec, "clusterIP");
        String oldIp = text(oldSpec, "clusterIP");
        if (ips.isEmpty() && !ip.isEmpty() && !oldIp.isEmpty() && !ip.equals(oldIp)) {
            errors.invalid("spec.clusterIPs[0]", GoFormat.literal("[]string{" + GoFormat.quote(ip) + "}"),
                    "may not change once set");
        }
    }
}
