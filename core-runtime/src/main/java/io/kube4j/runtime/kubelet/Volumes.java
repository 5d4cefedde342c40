package io.kube4j.runtime.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Prepares a pod's volumes as directories of this machine, as the kubelet's volume plugins set them
 * up under {@code /var/lib/kubelet/pods/<uid>/volumes}: {@code emptyDir} (an empty directory; the
 * Memory medium is a directory too), {@code hostPath} (the host's path itself, checked or created
 * by its {@code type}), {@code configMap} and {@code secret} (a file per key, or per {@code items}
 * entry at its {@code path}, with {@code defaultMode} or the item's {@code mode}, default 0644),
 * and {@code downwardAPI} (labels and annotations as {@code key="value"} lines, or one field).
 * Contents are written once, when the pod starts; later changes of a ConfigMap or Secret are not
 * seen. Other volume types are refused. Not thread-safe; one call per pod worker pass.
 */
final class Volumes {
    static final int DEFAULT_MODE = 0644;

    private Volumes() {
    }

    /**
     * Makes every volume of the pod under {@code root} (the pod's volumes directory) and returns the
     * directory (or, for a hostPath, the path) of each by name. A missing ConfigMap, Secret or key
     * that is not optional fails with kube's {@code MountVolume.SetUp failed} message.
     */
    static Map<String, Path> prepare(Pod pod, Path root, ContainerEnv.PodFields fields, ContainerEnv.Sources sources)
            throws ContainerEnv.ConfigException {
        Map<String, Path> paths = new LinkedHashMap<>();
        for (Volume v : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
            try {
                paths.put(v.getName(), prepare(pod, v, root.resolve(v.getName()), fields, sources));
            } catch (ContainerEnv.ConfigException e) {
                throw new ContainerEnv.ConfigException("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : "
                        + e.getMessage());
            } catch (IOException e) {
                throw new ContainerEnv.ConfigException("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : "
                        + e);
            }
        }
        return paths;
    }

    private static Path prepare(Pod pod, Volume v, Path dir, ContainerEnv.PodFields fields, ContainerEnv.Sources sources)
            throws ContainerEnv.ConfigException, IOException {
        if (v.getHostPath() != null) {
            return hostPath(v.getHostPath().getPath(), Optional.ofNullable(v.getHostPath().getType()).orElse(""));
        }
        if (v.getEmptyDir() != null) {
            Files.createDirectories(dir);
            return dir;
        }
        if (v.getConfigMap() != null) {
            var src = v.getConfigMap();
            Optional<ConfigMap> cm = sources.configMap(src.getName());
            if (cm.isEmpty() && !Boolean.TRUE.equals(src.getOptional())) {
                throw new ContainerEnv.ConfigException("configmap \"" + src.getName() + "\" not found");
            }
            Map<String, String> data = cm.map(ContainerEnv::configMapData).orElse(Map.of());
            writeKeys(dir, data, src.getItems(), src.getDefaultMode(), Boolean.TRUE.equals(src.getOptional()), "configmap");
            return dir;
        }
        if (v.getSecret() != null) {
            var src = v.getSecret();
            Optional<Secret> secret = sources.secret(src.getSecretName());
            if (secret.isEmpty() && !Boolean.TRUE.equals(src.getOptional())) {
                throw new ContainerEnv.ConfigException("secret \"" + src.getSecretName() + "\" not found");
            }
            Map<String, String> data = secret.map(ContainerEnv::secretData).orElse(Map.of());
            writeKeys(dir, data, src.getItems(), src.getDefaultMode(), Boolean.TRUE.equals(src.getOptional()), "secret");
            return dir;
        }
        if (v.getDownwardAPI() != null) {
            var src = v.getDownwardAPI();
            Map<String, String> files = new LinkedHashMap<>();
            Map<String, Integer> modes = new LinkedHashMap<>();
            for (DownwardAPIVolumeFile item : Optional.ofNullable(src.getItems()).orElse(List.of())) {
                String value;
                if (item.getFieldRef() != null) {
                    value = downwardField(pod, item.getFieldRef().getFieldPath(), fields);
                } else if (item.getResourceFieldRef() != null) {
                    var container = pod.getSpec().getContainers().stream()
                            .filter(c -> c.getName().equals(item.getResourceFieldRef().getContainerName())).findFirst()
                            .orElse(pod.getSpec().getContainers().getFirst());
                    value = ContainerEnv.resource(pod, container, item.getResourceFieldRef(), fields);
                } else {
                    continue;
                }
                files.put(item.getPath(), value);
                if (item.getMode() != null) {
                    modes.put(item.getPath(), item.getMode());
                }
            }
            write(dir, files, modes, src.getDefaultMode());
            return dir;
        }
        throw new ContainerEnv.ConfigException("unsupported volume type: the kube4j kubelet has emptyDir, hostPath, "
                + "configMap, secret and downwardAPI volumes");
    }

    private static Path hostPath(String path, String type) throws ContainerEnv.ConfigException, IOException {
        Path p = Path.of(path);
        switch (type) {
            case "DirectoryOrCreate" -> Files.createDirectories(p);
            case "FileOrCreate" -> {
                if (!Files.exists(p)) {
                    Files.createDirectories(p.toAbsolutePath().getParent());
                    Files.createFile(p);
                }
            }
            case "Directory" -> {
                if (!Files.isDirectory(p)) {
                    throw new ContainerEnv.ConfigException("hostPath type check failed: " + path + " is not a directory");
                }
            }
            case "File" -> {
                if (!Files.isRegularFile(p)) {
                    throw new ContainerEnv.ConfigException("hostPath type check failed: " + path + " is not a file");
                }
            }
            default -> {
                // "" and the socket and device types: no check, as kube does for "".
            }
        }
        return p;
    }

    private static void writeKeys(Path dir, Map<String, String> data, List<KeyToPath> items, Integer defaultMode,
                                  boolean optional, String what) throws ContainerEnv.ConfigException, IOException {
        Map<String, String> files = new TreeMap<>();
        Map<String, Integer> modes = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            files.putAll(data);
        } else {
            for (KeyToPath item : items) {
                String value = data.get(item.getKey());
                if (value == null) {
                    if (optional) {
                        continue;
                    }
                    throw new ContainerEnv.ConfigException(what + " references non-existent config key: " + item.getKey());
                }
                files.put(item.getPath(), value);
                if (item.getMode() != null) {
                    modes.put(item.getPath(), item.getMode());
                }
            }
        }
        write(dir, files, modes, defaultMode);
    }

    /** Replaces the directory's contents with {@code files} (relative paths; none may leave the directory). */
    private static void write(Path dir, Map<String, String> files, Map<String, Integer> modes, Integer defaultMode)
            throws ContainerEnv.ConfigException, IOException {
        deleteTree(dir);
        Files.createDirectories(dir);
        int mode = defaultMode == null ? DEFAULT_MODE : defaultMode;
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey()).normalize();
            if (!file.startsWith(dir) || file.equals(dir) || Path.of(f.getKey()).isAbsolute()) {
                throw new ContainerEnv.ConfigException("invalid path " + f.getKey());
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, permissions(modes.getOrDefault(f.getKey(), mode)));
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE,
        };
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    /** The downward API's file contents: maps as sorted {@code key="value"} lines, as {@code fieldpath.FormatMap}. */
    private static String downwardField(Pod pod, String path, ContainerEnv.PodFields fields) {
        return switch (path) {
            case "metadata.labels" -> formatMap(pod.getMetadata().getLabels());
            case "metadata.annotations" -> formatMap(pod.getMetadata().getAnnotations());
            default -> ContainerEnv.field(pod, path, fields);
        };
    }

    private static String formatMap(Map<String, String> map) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(Optional.ofNullable(map).orElse(Map.of())).forEach((k, v) ->
                out.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\""))
                        .append("\"\n"));
        return out.toString();
    }

    /** Deletes the tree without following its links (a hostPath is never under it, but be safe). */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = new ArrayList<>(walk.toList());
        }
        Collections.reverse(paths);
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
