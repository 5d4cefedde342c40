package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.kube4j.api.node.EnvEntry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A container's environment, command and args as the kubelet's {@code makeEnvironmentVariables}
 * makes them: {@code envFrom} first (ConfigMaps and Secrets, with their prefix; keys that are not
 * valid variable names are skipped), then {@code env} in order, where a literal value may refer to
 * variables defined before it as {@code $(VAR)} ({@code $$} is a literal {@code $}; an unknown
 * reference stays as written), and {@code valueFrom} reads a {@code fieldRef}, a
 * {@code resourceFieldRef} (a missing limit is the node's allocatable), a
 * {@code configMapKeyRef} or a {@code secretKeyRef}. A required source or key that is missing is
 * a {@link ConfigException}: the container waits with CreateContainerConfigError. The command and
 * args are then expanded against the whole environment. The Services' variables ({@link ServiceEnv})
 * come last, each unless the container defines it, and {@code $(VAR)} sees them too. Pure apart
 * from {@link Sources}.
 */
final class ContainerEnv {
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    /** The pod's namespace's ConfigMaps and Secrets, read when the container is created. */
    interface Sources {
        Optional<ConfigMap> configMap(String name);

        Optional<Secret> secret(String name);

        /**
         * The variables of the Services the pod sees ({@link ServiceEnv}); a {@link ConfigException} while
         * the kubelet has not read the Services yet, as the kubelet refuses to make the environment then.
         */
        default Map<String, String> serviceEnv() throws ConfigException {
            return Map.of();
        }
    }

    /** Why the container cannot be configured: CreateContainerConfigError with this message. */
    static final class ConfigException extends Exception {
        ConfigException(String message) {
            super(message);
        }
    }

    /** The pod-level values {@code fieldRef} and {@code resourceFieldRef} read. */
    record PodFields(String nodeName, String hostIp, List<String> podIps, Map<String, Quantity> nodeAllocatable) {
    }

    record Result(List<EnvEntry> env, List<String> command, List<String> args) {
    }

    private ContainerEnv() {
    }

    static Result make(Pod pod, Container container, PodFields fields, Sources sources) throws ConfigException {
        requireNonNull(sources, "sources is null");
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> services = sources.serviceEnv();
        Function<String, String> lookup = name -> env.containsKey(name) ? env.get(name) : services.get(name);
        Map<String, Optional<ConfigMap>> configMaps = new LinkedHashMap<>();
        Map<String, Optional<Secret>> secrets = new LinkedHashMap<>();
        Function<String, Optional<ConfigMap>> configMap = name -> configMaps.computeIfAbsent(name, sources::configMap);
        Function<String, Optional<Secret>> secret = name -> secrets.computeIfAbsent(name, sources::secret);
        for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            String prefix = Optional.ofNullable(from.getPrefix()).orElse("");
            Map<String, String> values;
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                Optional<ConfigMap> cm = configMap.apply(name);
                if (cm.isEmpty()) {
                    if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                        continue;
                    }
                    throw new ConfigException("configmap \"" + name + "\" not found");
                }
                values = configMapData(cm.get());
            } else if (from.getSecretRef() != null) {
                String name = from.getSecretRef().getName();
                Optional<Secret> s = secret.apply(name);
                if (s.isEmpty()) {
                    if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                        continue;
                    }
                    throw new ConfigException("secret \"" + name + "\" not found");
                }
                values = secretData(s.get());
            } else {
                continue;
            }
            values.forEach((k, v) -> {
                if (ENV_NAME.matcher(prefix + k).matches()) {
                    env.put(prefix + k, v);
                }
            });
        }
        for (EnvVar v : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            EnvVarSource from = v.getValueFrom();
            if (from == null) {
                env.put(v.getName(), expand(Optional.ofNullable(v.getValue()).orElse(""), lookup));
            } else if (from.getFieldRef() != null) {
                env.put(v.getName(), field(pod, from.getFieldRef().getFieldPath(), fields));
            } else if (from.getResourceFieldRef() != null) {
                env.put(v.getName(), resource(pod, container, from.getResourceFieldRef(), fields));
            } else if (from.getConfigMapKeyRef() != null) {
                var ref = from.getConfigMapKeyRef();
                boolean optional = Boolean.TRUE.equals(ref.getOptional());
                Optional<ConfigMap> cm = configMap.apply(ref.getName());
                if (cm.isEmpty()) {
                    if (optional) {
                        continue;
                    }
                    throw new ConfigException("configmap \"" + ref.getName() + "\" not found");
                }
                String value = configMapData(cm.get()).get(ref.getKey());
                if (value == null) {
                    if (optional) {
                        continue;
                    }
                    throw new ConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
                }
                env.put(v.getName(), value);
            } else if (from.getSecretKeyRef() != null) {
                var ref = from.getSecretKeyRef();
                boolean optional = Boolean.TRUE.equals(ref.getOptional());
                Optional<Secret> s = secret.apply(ref.getName());
                if (s.isEmpty()) {
                    if (optional) {
                        continue;
                    }
                    throw new ConfigException("secret \"" + ref.getName() + "\" not found");
                }
                String value = secretData(s.get()).get(ref.getKey());
                if (value == null) {
                    if (optional) {
                        continue;
                    }
                    throw new ConfigException("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
                }
                env.put(v.getName(), value);
            }
        }
        List<EnvEntry> entries = new ArrayList<>();
        env.forEach((k, v) -> entries.add(new EnvEntry(k, v)));
        services.forEach((k, v) -> {
            if (!env.containsKey(k)) {
                entries.add(new EnvEntry(k, v));
            }
        });
        return new Result(entries, expandAll(container.getCommand(), lookup), expandAll(container.getArgs(), lookup));
    }

    private static List<String> expandAll(List<String> words, Function<String, String> lookup) {
        return Optional.ofNullable(words).orElse(List.of()).stream().map(w -> expand(w, lookup)).toList();
    }

    static Map<String, String> configMapData(ConfigMap cm) {
        Map<String, String> data = new LinkedHashMap<>();
        Optional.ofNullable(cm.getBinaryData()).orElse(Map.of()).forEach((k, v) ->
                data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        data.putAll(Optional.ofNullable(cm.getData()).orElse(Map.of()));
        return data;
    }

    static Map<String, String> secretData(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        Optional.ofNullable(secret.getData()).orElse(Map.of()).forEach((k, v) ->
                data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        Optional.ofNullable(secret.getStringData()).orElse(Map.of()).forEach(data::put);
        return data;
    }

    /**
     * Expands {@code $(VAR)} with {@code env}, as {@code third_party/forked/golang/expansion}: {@code $$}
     * is a {@code $}, a reference to an unknown variable and an unclosed {@code $(} stay as written.
     */
    static String expand(String input, Map<String, String> env) {
        return expand(input, env::get);
    }

    /** {@link #expand(String, Map)} with a variable's value from {@code lookup} (null: unknown). */
    static String expand(String input, Function<String, String> lookup) {
        StringBuilder out = new StringBuilder();
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            int advance = 1;
            if (next == '$') {
                out.append('$');
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$(");
                } else {
                    String name = input.substring(cursor + 2, close);
                    String value = lookup.apply(name);
                    out.append(value != null ? value : "$(" + name + ")");
                    advance = close - cursor;
                }
            } else {
                out.append('$').append(next);
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        return out.append(input.substring(Math.min(checkpoint, input.length()))).toString();
    }

    static String field(Pod pod, String path, PodFields fields) {
        var meta = pod.getMetadata();
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
            return Optional.ofNullable(meta.getLabels()).map(m -> m.get(path.substring(17, path.length() - 2))).orElse("");
        }
        if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
            return Optional.ofNullable(meta.getAnnotations()).map(m -> m.get(path.substring(22, path.length() - 2))).orElse("");
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "spec.nodeName" -> fields.nodeName();
            case "spec.serviceAccountName" -> Optional.ofNullable(pod.getSpec().getServiceAccountName()).orElse("");
            case "status.hostIP", "status.hostIPs" -> fields.hostIp();
            case "status.podIP" -> fields.podIps().isEmpty() ? "" : fields.podIps().getFirst();
            case "status.podIPs" -> String.join(",", fields.podIps());
            default -> "";
        };
    }

    /** As {@code resource.ExtractContainerResourceValue}: the value divided by the divisor, rounded up. */
    static String resource(Pod pod, Container container, ResourceFieldSelector ref, PodFields fields) {
        Container target = container;
        if (ref.getContainerName() != null && !ref.getContainerName().isEmpty()) {
            target = pod.getSpec().getContainers().stream().filter(c -> ref.getContainerName().equals(c.getName()))
                    .findFirst().orElse(container);
        }
        String resource = ref.getResource();
        int dot = resource.indexOf('.');
        String kind = dot < 0 ? "limits" : resource.substring(0, dot);
        String name = dot < 0 ? resource : resource.substring(dot + 1);
        Map<String, Quantity> limits = target.getResources() == null || target.getResources().getLimits() == null
                ? Map.of() : target.getResources().getLimits();
        Map<String, Quantity> requests = target.getResources() == null || target.getResources().getRequests() == null
                ? Map.of() : target.getResources().getRequests();
        Quantity value = kind.equals("requests")
                ? Optional.ofNullable(requests.get(name)).orElse(limits.get(name))
                : Optional.ofNullable(limits.get(name)).orElse(fields.nodeAllocatable().get(name));
        BigDecimal amount = value == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(value);
        BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(ref.getDivisor());
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }
}
