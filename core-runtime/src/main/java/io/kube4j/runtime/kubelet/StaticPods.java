package io.kube4j.runtime.kubelet;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's file source: the Pod manifests (YAML or JSON, one Pod a file) in a directory,
 * read again on each {@link #scan()}. Each becomes a static pod as the kubelet makes it: named
 * {@code <name>-<node>}, in namespace {@code default} unless it says otherwise, bound to the node,
 * with a uid that is a hash of the file's content and the node (so that a changed manifest is a
 * new pod) and the {@code kubernetes.io/config.*} annotations. Not thread-safe: one thread scans.
 */
final class StaticPods {
    private static final Logger log = LoggerFactory.getLogger(StaticPods.class);
    static final String SOURCE = "kubernetes.io/config.source";
    static final String HASH = "kubernetes.io/config.hash";
    static final String SEEN = "kubernetes.io/config.seen";
    static final String MIRROR = "kubernetes.io/config.mirror";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path dir;
    private final String nodeName;
    private final Clock clock;
    /** When each hash was first seen, for {@link #SEEN}. */
    private final Map<String, String> seen = new HashMap<>();
    /** The last error of each file, so that a broken file is reported once, not on every scan. */
    private final Map<Path, String> errors = new HashMap<>();

    StaticPods(Path dir, String nodeName, Clock clock) {
        this.dir = requireNonNull(dir, "dir is null");
        this.nodeName = requireNonNull(nodeName, "nodeName is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Path directory() {
        return dir;
    }

    /** Whether {@code pod} came from a file, not from the API server. */
    static boolean isStatic(Pod pod) {
        return "file".equals(annotation(pod, SOURCE));
    }

    /** Whether {@code pod} is a mirror pod: the API server's copy of a static pod. */
    static boolean isMirror(Pod pod) {
        return annotation(pod, MIRROR) != null;
    }

    static String annotation(Pod pod, String key) {
        Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /** The static pods the directory holds now, by uid; a file that is not a valid Pod is skipped (and logged once). */
    Map<String, Pod> scan() {
        Map<String, Pod> pods = new LinkedHashMap<>();
        List<Path> files;
        if (!Files.isDirectory(dir)) {
            return pods;
        }
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> f.getFileName().toString().matches(".*\\.(ya?ml|json)")).sorted().toList();
        } catch (IOException e) {
            log.warn("static pods: cannot list {}: {}", dir, e.getMessage());
            return pods;
        }
        Map<Path, String> failed = new HashMap<>();
        for (Path file : files) {
            try {
                Pod pod = read(file);
                Pod clash = pods.putIfAbsent(pod.getMetadata().getUid(), pod);
                if (clash != null) {
                    throw new IllegalArgumentException("the same pod as another manifest");
                }
                if (pods.values().stream().filter(p -> p.getMetadata().getName().equals(pod.getMetadata().getName())
                        && p.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())).count() > 1) {
                    pods.remove(pod.getMetadata().getUid());
                    throw new IllegalArgumentException("pod " + pod.getMetadata().getName() + " is in another manifest too");
                }
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage();
                failed.put(file, why);
                if (!why.equals(errors.get(file))) {
                    log.warn("static pods: {} is skipped: {}", file, why);
                }
            }
        }
        errors.clear();
        errors.putAll(failed);
        seen.keySet().retainAll(pods.keySet());
        return pods;
    }

    /** The static pod of one manifest file. */
    Pod read(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        Pod manifest = YAML.readValue(content, Pod.class);
        if (manifest == null || manifest.getMetadata() == null || manifest.getMetadata().getName() == null
                || manifest.getMetadata().getName().isBlank()) {
            throw new IllegalArgumentException("a static pod needs metadata.name");
        }
        if (manifest.getKind() != null && !manifest.getKind().equals("Pod")) {
            throw new IllegalArgumentException("kind is " + manifest.getKind() + ", not Pod");
        }
        if (manifest.getSpec() == null || manifest.getSpec().getContainers() == null
                || manifest.getSpec().getContainers().isEmpty()) {
            throw new IllegalArgumentException("a static pod needs spec.containers");
        }
        String hash = hash(content);
        String namespace = Optional.ofNullable(manifest.getMetadata().getNamespace()).filter(n -> !n.isBlank())
                .orElse("default");
        Map<String, String> annotations = new LinkedHashMap<>(
                Optional.ofNullable(manifest.getMetadata().getAnnotations()).orElse(Map.of()));
        annotations.put(SOURCE, "file");
        annotations.put(HASH, hash);
        annotations.put(SEEN, seen.computeIfAbsent(hash, h -> clock.instant().toString()));
        return new PodBuilder(manifest).withApiVersion("v1").withKind("Pod").editMetadata()
                .withName(manifest.getMetadata().getName() + "-" + nodeName).withNamespace(namespace).withUid(hash)
                .withAnnotations(annotations).withResourceVersion(null).withCreationTimestamp(null).endMetadata()
                .editSpec().withNodeName(nodeName).endSpec().withStatus(null).build();
    }

    /** The uid and {@link #HASH} of a manifest: a digest of its bytes and the node's name, 32 hex digits as the kubelet's. */
    private String hash(byte[] content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(content);
            digest.update((byte) 0);
            digest.update(nodeName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
