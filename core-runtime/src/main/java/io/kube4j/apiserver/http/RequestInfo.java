package io.kube4j.apiserver.http;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a request path means, as kube-apiserver's RequestInfoFactory reads it:
 * {@code /api/v1/namespaces/ns/pods/name/status} → group "", version v1, namespace ns,
 * resource pods, name, subresource status; plus the verb from the method and the query.
 *
 * @param resourceRequest false for paths like /healthz, /version, /api (discovery)
 */
public record RequestInfo(boolean resourceRequest, String path, String verb, String group, String version,
                          String namespace, String resource, String name, String subresource) {

    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    /** Parses a path; empty when it is not under /api or /apis with a version. */
    public static Optional<RequestInfo> parse(String method, String path, boolean watch) {
        List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String group;
        String version;
        int i;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            i = 2;
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            i = 3;
        } else {
            return Optional.empty();
        }
        List<String> rest = parts.subList(i, parts.size());
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
            }
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        // kube-apiserver's rule: the proxy subresource is "proxy" whatever path follows it (that path is the proxied one).
        String subresource = rest.size() > 2 && rest.get(2).equals("proxy") ? "proxy"
                : rest.size() > 2 ? String.join("/", rest.subList(2, rest.size())) : "";
        if (resource.equals("namespaces")) {
            namespace = "";
        }
        String verb = switch (method) {
            case "GET", "HEAD" -> name.isEmpty() ? (watch ? "watch" : "list") : (watch ? "watch" : "get");
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
        return Optional.of(new RequestInfo(true, path, verb, group, version, namespace, resource, name, subresource));
    }

    /** A non-resource request such as /healthz. */
    public static RequestInfo nonResource(String method, String path) {
        return new RequestInfo(false, path, method.toLowerCase(java.util.Locale.ROOT), "", "", "", "", "", "");
    }
}
