package io.kube4j.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TestObjectDecoder {
    private final ObjectMapper mapper = new ObjectMapper();
    private final ObjectDecoder decoder = new ObjectDecoder(mapper);
    private final ResourceRegistry registry = ResourceRegistry.builtIn();
    private final ResourceType pods = registry.byKind("", "v1", "Pod").orElseThrow();
    private final ResourceType events = registry.byKind("", "v1", "Event").orElseThrow();

    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop","uid":"u-1",\
            "labels":{"app":"web","tier":"front"},"annotations":{"a":"{\\"metadata\\":{}}"}},\
            "spec":{"nodeName":"n1","hostNetwork":true,"containers":[{"name":"c","image":"busybox"}]},\
            "status":{"phase":"Running","podIP":"10.0.0.7","conditions":[{"type":"Ready","status":"True"}]}}""";

    @Test
    void splicesTheResourceVersionExactlyWhereWritingTheTreeWouldPutIt() throws Exception {
        CachedObject fast = decoder.decode(pods, "/registry/pods/shop/web-1", bytes(POD), 42);

        ObjectNode tree = (ObjectNode) mapper.readTree(POD);
        ((ObjectNode) tree.get("metadata")).put("resourceVersion", "42");
        assertThat(new String(fast.json(), StandardCharsets.UTF_8)).isEqualTo(mapper.writeValueAsString(tree));
        assertThat(fast.object()).isEqualTo(tree);
        assertThat(fast.revision()).isEqualTo(42);
    }

    @Test
    void takesOutTheValuesThatSelectorsRead() {
        CachedObject o = decoder.decode(pods, "/registry/pods/shop/web-1", bytes(POD), 7);

        assertThat(o.name()).isEqualTo("web-1");
        assertThat(o.namespace()).isEqualTo("shop");
        assertThat(o.labels().path("app").asText()).isEqualTo("web");
        assertThat(o.labels().size()).isEqualTo(2);
        assertThat(o.field("spec.nodeName")).isEqualTo("n1");
        assertThat(o.field("spec.hostNetwork")).isEqualTo("true");
        assertThat(o.field("status.phase")).isEqualTo("Running");
        assertThat(o.field("status.podIP")).isEqualTo("10.0.0.7");
        assertThat(o.field("metadata.name")).isEqualTo("web-1");
        assertThat(o.field("spec.schedulerName")).isNull();
    }

    @Test
    void readsTheEventSourceComponentAsTheSourceField() {
        String event = """
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"e","namespace":"d"},\
                "involvedObject":{"kind":"Pod","name":"p"},"reason":"Scheduled","source":{"component":"sched"}}""";

        CachedObject o = decoder.decode(events, "/registry/events/d/e", bytes(event), 3);

        assertThat(o.field("source")).isEqualTo("sched");
        assertThat(o.field("involvedObject.name")).isEqualTo("p");
        assertThat(o.field("reason")).isEqualTo("Scheduled");
    }

    @Test
    void objectsWithoutLabelsOrWithEmptyMetadataStillDecode() throws Exception {
        CachedObject bare = decoder.decode(pods, "/registry/pods/x", bytes("{\"kind\":\"Pod\",\"metadata\":{}}"), 5);
        assertThat(bare.labels().isEmpty()).isTrue();
        assertThat(mapper.readTree(bare.json())).isEqualTo(mapper.readTree("{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"5\"}}"));

        CachedObject none = decoder.decode(pods, "/registry/pods/y", bytes("{\"kind\":\"Pod\"}"), 6);
        assertThat(none.object().path("metadata").path("resourceVersion").asText()).isEqualTo("6");
    }

    @Test
    void aStoredResourceVersionIsReplacedNotRepeated() throws Exception {
        String stale = "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"1\",\"labels\":{\"k\":\"v\"}}}";

        CachedObject o = decoder.decode(pods, "/registry/pods/d/a", bytes(stale), 9);

        assertThat(new String(o.json(), StandardCharsets.UTF_8)).containsOnlyOnce("resourceVersion").contains("\"9\"");
        assertThat(o.labels().path("k").asText()).isEqualTo("v");
        assertThat(o.name()).isEqualTo("a");
    }

    @Test
    void eachCallToObjectGivesTheCallerItsOwnTree() {
        CachedObject o = decoder.decode(pods, "/registry/pods/shop/web-1", bytes(POD), 1);

        o.object().put("kind", "Changed");

        assertThat(o.object().path("kind").asText()).isEqualTo("Pod");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
