package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.runtime.assembly.Cluster;
import io.kube4j.runtime.profile.ClusterProfile;
import io.kube4j.runtime.profile.ProfileLoader;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Watch and delete semantics of kube-apiserver, over raw HTTP. */
class TestWatchAndDelete {
    private static Cluster cluster;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("kube4j-watch");
        ClusterProfile profile = ProfileLoader.parse("watch.yaml", """
                apiVersion: kube4j.io/v1alpha1
                kind: ClusterProfile
                metadata: {name: watch}
                apiserver:
                  address: 127.0.0.1:0
                  storage: {plugin: memory}
                  watchCacheSize: 100
                  watchBookmarkInterval: 1s
                """).withDataDir(dir.toString());
        cluster = Cluster.start(profile, "watch.yaml", Optional.empty());
        api = new Api(cluster);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String cm(String name, String labels) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labels
                + "}},\"data\":{\"a\":\"1\"}}";
    }

    /** Reads watch events (one JSON per line) on a virtual thread into a queue. */
    private static BlockingQueue<JsonNode> watch(String path) {
        BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        Thread.startVirtualThread(() -> {
            try {
                HttpResponse<InputStream> r = api.client().send(api.request(path).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (!line.isBlank()) {
                            events.add(Api.JSON.readTree(line));
                        }
                    }
                }
                events.add(Api.JSON.createObjectNode().put("type", "END"));
            } catch (Exception e) {
                events.add(Api.JSON.createObjectNode().put("type", "FAILED").put("error", e.toString()));
            }
        });
        return events;
    }

    private static JsonNode next(BlockingQueue<JsonNode> events) throws InterruptedException {
        JsonNode e = events.poll(20, TimeUnit.SECONDS);
        assertThat(e).as("a watch event within 20 s").isNotNull();
        return e;
    }

    @Test
    void watchWithSelectorSeesObjectsEnterAndLeaveIt() throws Exception {
        api.send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"w-sel\"}}");
        String rv = api.send("GET", "/api/v1/namespaces/w-sel/configmaps", null, null).body()
                .path("metadata").path("resourceVersion").asText();
        BlockingQueue<JsonNode> events = watch("/api/v1/namespaces/w-sel/configmaps?watch=true&labelSelector=color%3Dblue"
                + "&resourceVersion=" + rv + "&timeoutSeconds=30");
        api.send("POST", "/api/v1/namespaces/w-sel/configmaps", "application/json", cm("x", "\"color\":\"red\""));
        api.send("PATCH", "/api/v1/namespaces/w-sel/configmaps/x", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"color\":\"blue\"}}}");
        api.send("PATCH", "/api/v1/namespaces/w-sel/configmaps/x", "application/merge-patch+json",
                "{\"data\":{\"a\":\"2\"}}");
        api.send("PATCH", "/api/v1/namespaces/w-sel/configmaps/x", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"color\":\"green\"}}}");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode e = next(events);
            seen.add(e.path("type").asText() + ":" + e.path("object").path("data").path("a").asText());
        }
        assertThat(seen).containsExactly("ADDED:1", "MODIFIED:2", "DELETED:2");
    }

    @Test
    void watchEndsAtTimeoutSeconds() throws Exception {
        BlockingQueue<JsonNode> events = watch("/api/v1/namespaces/default/secrets?watch=true&timeoutSeconds=1");
        JsonNode end = next(events);
        assertThat(end.path("type").asText()).as("no secrets, so the first thing is the end").isEqualTo("END");
    }

    @Test
    void bookmarksCarryTheCurrentVersionWhenAllowed() throws Exception {
        String rv = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", cm("marked", ""))
                .body().path("metadata").path("resourceVersion").asText();
        BlockingQueue<JsonNode> events = watch("/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true"
                + "&resourceVersion=" + rv + "&timeoutSeconds=10&labelSelector=none%3Dmatch");
        JsonNode bookmark = next(events);
        assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
        assertThat(bookmark.path("object").path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(Long.parseLong(bookmark.path("object").path("metadata").path("resourceVersion").asText()))
                .isGreaterThanOrEqualTo(Long.parseLong(rv));
        BlockingQueue<JsonNode> plain = watch("/api/v1/namespaces/default/configmaps?watch=true"
                + "&resourceVersion=" + rv + "&timeoutSeconds=3&labelSelector=none%3Dmatch");
        assertThat(next(plain).path("type").asText()).as("no bookmarks unless asked").isEqualTo("END");
    }

    @Test
    void watchFromAVersionOutsideTheWindowGets410Expired() throws Exception {
        String first = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                cm("old-0", "\"churn\":\"yes\"")).body().path("metadata").path("resourceVersion").asText();
        for (int i = 0; i < 120; i++) {
            api.send("PATCH", "/api/v1/namespaces/default/configmaps/old-0", "application/merge-patch+json",
                    "{\"data\":{\"a\":\"" + i + "\"}}");
        }
        BlockingQueue<JsonNode> events = watch("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                + first + "&timeoutSeconds=10");
        JsonNode e = next(events);
        assertThat(e.path("type").asText()).isEqualTo("ERROR");
        assertThat(e.path("object").path("code").asInt()).isEqualTo(410);
        assertThat(e.path("object").path("reason").asText()).isEqualTo("Expired");
        assertThat(e.path("object").path("message").asText()).startsWith("too old resource version: " + first);
    }

    @Test
    void watchFromAVersionNotYetReachedIs504TooLarge() {
        Api.Response r = api.send("GET", "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=999999999",
                null, null);
        assertThat(r.code()).isEqualTo(504);
        assertThat(r.body().path("reason").asText()).isEqualTo("Timeout");
        assertThat(r.body().path("message").asText()).startsWith("Too large resource version: 999999999, current: ");
        assertThat(r.body().path("details").path("causes").get(0).path("reason").asText())
                .isEqualTo("ResourceVersionTooLarge");
    }

    @Test
    void finalizersHoldDeletionUntilRemoved() {
        api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"fin\",\"finalizers\":[\"example.com/hold\"]}}");
        Api.Response deleting = api.send("DELETE", "/api/v1/namespaces/default/configmaps/fin", null, null);
        assertThat(deleting.code()).isEqualTo(202);
        JsonNode held = api.send("GET", "/api/v1/namespaces/default/configmaps/fin", null, null).body();
        assertThat(held.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
        api.send("PATCH", "/api/v1/namespaces/default/configmaps/fin", "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        assertThat(api.send("GET", "/api/v1/namespaces/default/configmaps/fin", null, null).code()).isEqualTo(404);
    }

    @Test
    void boundPodsDeleteGracefullyAndGoOnGraceZero() {
        api.send("POST", "/api/v1/namespaces/default/pods", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"graceful\"},\"spec\":{\"nodeName\":\"node-1\","
                        + "\"terminationGracePeriodSeconds\":20,\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
        assertThat(api.send("DELETE", "/api/v1/namespaces/default/pods/graceful", null, null).code()).isEqualTo(202);
        JsonNode pending = api.send("GET", "/api/v1/namespaces/default/pods/graceful", null, null).body();
        assertThat(pending.path("metadata").path("deletionGracePeriodSeconds").asInt()).isEqualTo(20);
        assertThat(api.send("DELETE", "/api/v1/namespaces/default/pods/graceful", "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0}").code()).isEqualTo(200);
        assertThat(api.send("GET", "/api/v1/namespaces/default/pods/graceful", null, null).code()).isEqualTo(404);
    }

    @Test
    void propagationPolicyIsRecordedAsAFinalizerForTheGarbageCollector() {
        api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", cm("orphaned", ""));
        Api.Response r = api.send("DELETE", "/api/v1/namespaces/default/configmaps/orphaned", "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Foreground\"}");
        assertThat(r.code()).isEqualTo(202);
        assertThat(r.body().path("metadata").path("finalizers").toString()).contains("foregroundDeletion");
    }

    @Test
    void deleteCollectionBySelector() {
        for (String n : List.of("dc-1", "dc-2", "dc-3")) {
            api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                    cm(n, n.equals("dc-3") ? "\"keep\":\"yes\"" : "\"sweep\":\"yes\""));
        }
        assertThat(api.send("DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=sweep%3Dyes", null, null).code())
                .isEqualTo(200);
        JsonNode left = api.send("GET", "/api/v1/namespaces/default/configmaps?labelSelector=sweep%3Dyes,keep%3Dyes",
                null, null).body();
        assertThat(left.path("items")).isEmpty();
        assertThat(api.send("GET", "/api/v1/namespaces/default/configmaps/dc-3", null, null).code()).isEqualTo(200);
    }

    @Test
    void continuedListIsTheSnapshotOfItsFirstPage() {
        api.send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"paging\"}}");
        for (int i = 0; i < 5; i++) {
            api.send("POST", "/api/v1/namespaces/paging/configmaps", "application/json", cm("p" + i, ""));
        }
        JsonNode first = api.send("GET", "/api/v1/namespaces/paging/configmaps?limit=2", null, null).body();
        assertThat(first.path("metadata").path("remainingItemCount").asLong(-1)).isEqualTo(3);
        String token = first.path("metadata").path("continue").asText();
        JsonNode unchanged = api.send("GET", "/api/v1/namespaces/paging/configmaps?limit=2&continue=" + token, null, null).body();
        assertThat(unchanged.path("items").findValuesAsText("name")).containsExactly("p2", "p3");
        assertThat(unchanged.path("metadata").path("remainingItemCount").asLong(-1)).isEqualTo(1);
        JsonNode selected = api.send("GET", "/api/v1/namespaces/paging/configmaps?limit=2&labelSelector=x!%3Dy", null, null).body();
        assertThat(selected.path("metadata").has("remainingItemCount")).as("not counted under a selector").isFalse();
        api.send("PATCH", "/api/v1/namespaces/paging/configmaps/p3", "application/merge-patch+json", "{\"data\":{\"a\":\"new\"}}");
        api.send("DELETE", "/api/v1/namespaces/paging/configmaps/p4", null, null);
        JsonNode second = api.send("GET", "/api/v1/namespaces/paging/configmaps?limit=2&continue=" + token, null, null).body();
        assertThat(second.path("items").findValuesAsText("name")).containsExactly("p2", "p3");
        assertThat(second.path("items").get(1).path("data").path("a").asText()).as("as of the first page").isEqualTo("1");
        String next = second.path("metadata").path("continue").asText();
        JsonNode last = api.send("GET", "/api/v1/namespaces/paging/configmaps?limit=2&continue=" + next, null, null).body();
        assertThat(last.path("items").findValuesAsText("name")).containsExactly("p4");
        assertThat(last.path("metadata").path("continue").asText()).isEmpty();
        assertThat(last.path("metadata").path("resourceVersion").asText())
                .isEqualTo(first.path("metadata").path("resourceVersion").asText());
    }

    @Test
    void listAtAnExactResourceVersionIsConsistent() {
        String rv = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", cm("exact", ""))
                .body().path("metadata").path("resourceVersion").asText();
        api.send("PATCH", "/api/v1/namespaces/default/configmaps/exact", "application/merge-patch+json",
                "{\"data\":{\"a\":\"changed\"}}");
        JsonNode then = api.send("GET", "/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dexact"
                + "&resourceVersion=" + rv + "&resourceVersionMatch=Exact", null, null).body();
        assertThat(then.path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
        assertThat(then.path("items").get(0).path("data").path("a").asText()).isEqualTo("1");
    }
}
