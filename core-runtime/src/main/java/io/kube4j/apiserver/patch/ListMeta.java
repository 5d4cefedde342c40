package io.kube4j.apiserver.patch;

import java.util.List;
import java.util.Map;

/**
 * How one list field of a Kubernetes type merges: its strategic-merge-patch strategy and merge key
 * ({@code patchStrategy}/{@code patchMergeKey} in the Go types) and its server-side-apply list type
 * ({@code +listType}/{@code +listMapKey}).
 *
 * @param merge      strategic merge patch merges the list instead of replacing it
 * @param mergeKey   the key that identifies elements when merging; empty for a list of scalars
 * @param applyKeys  the server-side apply keys of an associative list; empty when not associative
 * @param applySet   server-side apply treats the list as a set of scalars
 * @param keyDefaults default values of apply keys that clients may leave out (ports' {@code protocol})
 */
record ListMeta(boolean merge, String mergeKey, List<String> applyKeys, boolean applySet, Map<String, String> keyDefaults) {
    /** A list that both patch styles replace as a whole. */
    static final ListMeta ATOMIC = new ListMeta(false, "", List.of(), false, Map.of());

    static ListMeta byKey(String key) {
        return new ListMeta(true, key, List.of(key), false, Map.of());
    }

    static ListMeta byKeys(String mergeKey, String... applyKeys) {
        return new ListMeta(true, mergeKey, List.of(applyKeys), false, Map.of());
    }

    /** Ports: merged by number, applied by number and protocol, where protocol defaults to TCP. */
    static ListMeta ports(String numberField) {
        return new ListMeta(true, numberField, List.of(numberField, "protocol"), false, Map.of("protocol", "TCP"));
    }

    static ListMeta scalarSet() {
        return new ListMeta(true, "", List.of(), true, Map.of());
    }

    boolean associative() {
        return !applyKeys.isEmpty();
    }
}
