package io.kube4j.api.auth;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * Who made a request, as Kubernetes' {@code user.Info}.
 *
 * @param name   user name, e.g. {@code admin} or {@code system:anonymous}
 * @param uid    unique id, may be empty
 * @param groups groups, e.g. {@code system:authenticated}
 * @param extra  extra attributes
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    public static final String ANONYMOUS = "system:anonymous";
    public static final String GROUP_AUTHENTICATED = "system:authenticated";
    public static final String GROUP_UNAUTHENTICATED = "system:unauthenticated";
    public static final String GROUP_MASTERS = "system:masters";

    public UserInfo {
        requireNonNull(name, "name is null");
        requireNonNull(uid, "uid is null");
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    public static UserInfo of(String name, List<String> groups) {
        return new UserInfo(name, "", groups, Map.of());
    }
}
