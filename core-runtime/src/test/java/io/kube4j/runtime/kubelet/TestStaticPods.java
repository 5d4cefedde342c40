package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestStaticPods {
    private static final String WEB = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, labels: {app: web}}
            spec:
              containers:
              - {name: web, image: busybox, command: [sh, -c, 'sleep 3600']}
            """;

    @TempDir
    Path dir;
    private StaticPods source() {
        return new StaticPods(dir, "node-1", Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    @Test
    void aManifestIsAStaticPodOfTheNode() throws Exception {
        Files.writeString(dir.resolve("web.yaml"), WEB);
        Map<String, Pod> pods = source().scan();
        assertThat(pods).hasSize(1);
        Pod pod = pods.values().iterator().next();
        assertThat(pod.getMetadata().getName()).isEqualTo("web-node-1");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(pod.getMetadata().getUid()).matches("[0-9a-f]{32}");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.source", "file")
                .containsEntry("kubernetes.io/config.hash", pod.getMetadata().getUid())
                .containsEntry("kubernetes.io/config.seen", "2026-01-02T03:04:05Z");
        assertThat(pod.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(StaticPods.isStatic(pod)).isTrue();
        assertThat(StaticPods.isMirror(pod)).isFalse();
    }

    @Test
    void theUidFollowsTheContentAndTheNode() throws Exception {
        Files.writeString(dir.resolve("web.yaml"), WEB);
        String first = source().scan().keySet().iterator().next();
        assertThat(source().scan()).containsOnlyKeys(first);
        assertThat(new StaticPods(dir, "node-2", Clock.systemUTC()).scan()).doesNotContainKey(first);
        Files.writeString(dir.resolve("web.yaml"), WEB.replace("3600", "3601"));
        assertThat(source().scan()).doesNotContainKey(first).hasSize(1);
    }

    @Test
    void jsonManifestsAndNamespacesAreRead() throws Exception {
        Files.writeString(dir.resolve("db.json"), """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db", "namespace": "kube-system"},
                 "spec": {"containers": [{"name": "db", "image": "busybox", "command": ["true"]}]}}
                """);
        Pod pod = source().scan().values().iterator().next();
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(pod.getMetadata().getName()).isEqualTo("db-node-1");
    }

    @Test
    void brokenHiddenAndOtherFilesAreSkipped() throws Exception {
        Files.writeString(dir.resolve("web.yaml"), WEB);
        Files.writeString(dir.resolve("broken.yaml"), "metadata: [");
        Files.writeString(dir.resolve("nameless.yaml"), WEB.replace("name: web, ", ""));
        Files.writeString(dir.resolve("service.yaml"), WEB.replace("kind: Pod", "kind: Service"));
        Files.writeString(dir.resolve(".web.yaml.swp"), WEB);
        Files.writeString(dir.resolve("notes.txt"), WEB);
        Files.writeString(dir.resolve("copy.yml"), WEB + "\n# the same pod\n");
        assertThat(source().scan().values()).extracting(p -> p.getMetadata().getName()).containsExactly("web-node-1");
    }

    @Test
    void noDirectoryIsNoPods() {
        assertThat(new StaticPods(dir.resolve("absent"), "node-1", Clock.systemUTC()).scan()).isEmpty();
    }
}
