package io.kube4j.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kube4j.runtime.assembly.Cluster;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cluster on the durable default store, stopped and started again on the same data directory. */
class TestRestart {

    @Test
    void objectsSurviveAndAWatchResumesAcrossTheRestart(@TempDir Path dir) throws Exception {
        String first;
        List<String> versions = new ArrayList<>();
        try (Cluster cluster = Profiles.start("single-node.yaml", dir)) {
            Api api = new Api(cluster);
            first = api.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kept\"},\"data\":{\"n\":\"0\"}}")
                    .body().path("metadata").path("resourceVersion").asText();
            for (int i = 1; i <= 5; i++) {
                versions.add(api.send("PATCH", "/api/v1/namespaces/default/configmaps/kept", "application/merge-patch+json",
                        "{\"data\":{\"n\":\"" + i + "\"}}").body().path("metadata").path("resourceVersion").asText());
            }
        }
        try (Cluster cluster = Profiles.start("single-node.yaml", dir)) {
            Api api = new Api(cluster);
            JsonNode kept = api.send("GET", "/api/v1/namespaces/default/configmaps/kept", null, null).body();
            assertThat(kept.path("data").path("n").asText()).isEqualTo("5");
            assertThat(kept.path("metadata").path("resourceVersion").asText()).isEqualTo(versions.get(4));

            HttpResponse<InputStream> watch = api.client().send(api.request(
                    "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + first + "&timeoutSeconds=2").GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            List<String> seen = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue; // the server pads each event with a space so that the chunk ends at once
                    }
                    JsonNode e = Api.JSON.readTree(line);
                    seen.add(e.path("type").asText() + "@" + e.path("object").path("metadata").path("resourceVersion").asText());
                }
            }
            assertThat(seen).containsExactlyElementsOf(versions.stream().map(v -> "MODIFIED@" + v).toList());
        }
    }
}
