package io.kube4j.runtime.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The environment variables the kubelet gives every container for the Services it may reach, as
 * kubelet's {@code getServiceEnvVarMap} and {@code envvars.FromServices} make them:
 * <ul>
 *   <li>which Services: those of the pod's namespace when {@code spec.enableServiceLinks} is not
 *       false, and always {@code default/kubernetes} (a Service of the pod's own namespace of the same
 *       name wins); only Services with a cluster IP (not headless, not ExternalName);</li>
 *   <li>for each, with its name upper-cased and {@code -} made {@code _}: {@code NAME_SERVICE_HOST},
 *       {@code NAME_SERVICE_PORT} (the first port), {@code NAME_SERVICE_PORT_<PORTNAME>} per named port,
 *       and the Docker link variables {@code NAME_PORT=tcp://ip:port} (the first port) and per port
 *       {@code NAME_PORT_<port>_<PROTO>} with its {@code _PROTO}, {@code _PORT} and {@code _ADDR}.</li>
 * </ul>
 * A container's own variables win over these ({@link ContainerEnv}). Pure.
 */
final class ServiceEnv {
    /** The Services of the default namespace whose variables every pod gets. */
    private static final String MASTER_SERVICE = "kubernetes";

    private ServiceEnv() {
    }

    /** The variables for {@code pod} given {@code services} (any namespaces), in a stable order. */
    static Map<String, String> of(Pod pod, List<Service> services) {
        String namespace = pod.getMetadata().getNamespace();
        boolean links = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        Map<String, Service> chosen = new TreeMap<>();
        for (Service service : services) {
            if (!hasClusterIp(service)) {
                continue;
            }
            String ns = service.getMetadata().getNamespace();
            String name = service.getMetadata().getName();
            if (ns.equals("default") && name.equals(MASTER_SERVICE)) {
                chosen.putIfAbsent(name, service);
            } else if (links && ns.equals(namespace)) {
                chosen.put(name, service);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        chosen.values().forEach(service -> add(service, env));
        return env;
    }

    private static boolean hasClusterIp(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None");
    }

    private static void add(Service service, Map<String, String> env) {
        String prefix = variableName(service.getMetadata().getName());
        String ip = service.getSpec().getClusterIP();
        List<ServicePort> ports = Optional.ofNullable(service.getSpec().getPorts()).orElse(List.of());
        env.put(prefix + "_SERVICE_HOST", ip);
        if (ports.isEmpty()) {
            return;
        }
        env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.getFirst().getPort()));
        for (ServicePort port : ports) {
            if (port.getName() != null && !port.getName().isEmpty()) {
                env.put(prefix + "_SERVICE_PORT_" + variableName(port.getName()), Integer.toString(port.getPort()));
            }
        }
        String address = ip.contains(":") ? "[" + ip + "]" : ip;
        for (int i = 0; i < ports.size(); i++) {
            ServicePort port = ports.get(i);
            String protocol = Optional.ofNullable(port.getProtocol()).filter(p -> !p.isEmpty()).orElse("TCP");
            String lower = protocol.toLowerCase(Locale.ROOT);
            String url = lower + "://" + address + ":" + port.getPort();
            if (i == 0) {
                env.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", lower);
            env.put(portPrefix + "_PORT", Integer.toString(port.getPort()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    /** A Service or port name as a variable name: upper case, {@code -} as {@code _}. */
    static String variableName(String name) {
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
