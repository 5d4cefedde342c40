package io.kube4j.runtime.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestVolumes {
    private static final ContainerEnv.PodFields FIELDS = new ContainerEnv.PodFields("node-1", "10.0.0.1",
            List.of("10.0.0.5"), Map.of("cpu", new Quantity("4")));
    private static final ContainerEnv.Sources SOURCES = new ContainerEnv.Sources() {
        @Override
        public Optional<ConfigMap> configMap(String name) {
            return name.equals("cfg") ? Optional.of(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                    .addToData("color", "blue").addToData("size", "L").build()) : Optional.empty();
        }

        @Override
        public Optional<Secret> secret(String name) {
            return name.equals("creds") ? Optional.of(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                    .addToData("password", Base64.getEncoder().encodeToString("s3cr3t".getBytes(StandardCharsets.UTF_8)))
                    .build()) : Optional.empty();
        }
    };

    @TempDir
    Path dir;

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u")
                .addToLabels("app", "web").addToLabels("tier", "front").endMetadata()
                .withNewSpec().addNewContainer().withName("c").endContainer().endSpec();
    }

    @Test
    void everyKindIsADirectoryOfFiles() throws Exception {
        Path host = dir.resolve("host/data");
        Pod pod = pod().editSpec()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("host").withNewHostPath().withPath(host.toString()).withType("DirectoryOrCreate")
                .endHostPath().endVolume()
                .addNewVolume().withName("config").withNewConfigMap().withName("cfg").withDefaultMode(0400).endConfigMap().endVolume()
                .addNewVolume().withName("picked").withNewConfigMap().withName("cfg").addNewItem().withKey("size")
                .withPath("dims/size.txt").withMode(0600).endItem().endConfigMap().endVolume()
                .addNewVolume().withName("secret").withNewSecret().withSecretName("creds").endSecret().endVolume()
                .addNewVolume().withName("info").withNewDownwardAPI().addNewItem().withPath("labels").withNewFieldRef()
                .withFieldPath("metadata.labels").endFieldRef().endItem().addNewItem().withPath("name").withNewFieldRef()
                .withFieldPath("metadata.name").endFieldRef().endItem().endDownwardAPI().endVolume()
                .endSpec().build();
        Map<String, Path> paths = Volumes.prepare(pod, dir.resolve("volumes"), FIELDS, SOURCES);
        assertThat(paths.get("scratch")).isDirectory().isEqualTo(dir.resolve("volumes/scratch"));
        assertThat(paths.get("host")).isEqualTo(host).isDirectory();
        assertThat(paths.get("config").resolve("color")).hasContent("blue");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.get("config").resolve("color"))))
                .isEqualTo("r--------");
        assertThat(paths.get("picked").resolve("dims/size.txt")).hasContent("L");
        assertThat(paths.get("picked").resolve("color")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.get("picked").resolve("dims/size.txt"))))
                .isEqualTo("rw-------");
        assertThat(paths.get("secret").resolve("password")).hasContent("s3cr3t");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.get("secret").resolve("password"))))
                .isEqualTo("rw-r--r--");
        assertThat(Files.readString(paths.get("info").resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"front\"\n");
        assertThat(paths.get("info").resolve("name")).hasContent("p");
    }

    @Test
    void missingSourcesFailTheMountUnlessOptional() throws Exception {
        Pod missing = pod().editSpec().addNewVolume().withName("config").withNewConfigMap().withName("absent").endConfigMap()
                .endVolume().endSpec().build();
        assertThatThrownBy(() -> Volumes.prepare(missing, dir, FIELDS, SOURCES))
                .hasMessage("MountVolume.SetUp failed for volume \"config\" : configmap \"absent\" not found");
        Pod missingKey = pod().editSpec().addNewVolume().withName("s").withNewSecret().withSecretName("creds").addNewItem()
                .withKey("user").withPath("user").endItem().endSecret().endVolume().endSpec().build();
        assertThatThrownBy(() -> Volumes.prepare(missingKey, dir, FIELDS, SOURCES))
                .hasMessage("MountVolume.SetUp failed for volume \"s\" : secret references non-existent config key: user");
        Pod optional = pod().editSpec().addNewVolume().withName("config").withNewConfigMap().withName("absent")
                .withOptional(true).endConfigMap().endVolume().endSpec().build();
        assertThat(Volumes.prepare(optional, dir, FIELDS, SOURCES).get("config")).isEmptyDirectory();
        Pod escaping = pod().editSpec().addNewVolume().withName("config").withNewConfigMap().withName("cfg").addNewItem()
                .withKey("color").withPath("../../outside").endItem().endConfigMap().endVolume().endSpec().build();
        assertThatThrownBy(() -> Volumes.prepare(escaping, dir.resolve("v"), FIELDS, SOURCES)).hasMessageContaining("invalid path");
    }
}
