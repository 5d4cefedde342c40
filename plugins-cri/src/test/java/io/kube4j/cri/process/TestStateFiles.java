package io.kube4j.cri.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestStateFiles {
    @TempDir
    Path dir;

    @Test
    void aRecordIsWrittenWholeAndReadBack() {
        ContainerRecord record = new ContainerRecord("c1", "s1", "web", 2, "busybox", "sha256:ab", Map.of("a", "b"),
                Map.of(), "2026-01-01T00:00:00Z", "/logs/web/2.log", "/wd", Map.of("PATH", "/bin"), 42, 1234,
                "RUNNING", "2026-01-01T00:00:01Z", "", 0, "", "");
        StateFiles.write(dir.resolve("state.json"), record);
        assertThat(StateFiles.read(dir.resolve("state.json"), ContainerRecord.class)).contains(record);
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void aMissingOrBrokenRecordIsNone() throws Exception {
        assertThat(StateFiles.read(dir.resolve("absent.json"), ContainerRecord.class)).isEmpty();
        Files.writeString(dir.resolve("half.json"), "{\"id\":\"c1\",\"sand");
        assertThat(StateFiles.read(dir.resolve("half.json"), ContainerRecord.class)).isEmpty();
    }

    @Test
    void theExitCodeIsTheWrappersNumber() throws Exception {
        assertThat(StateFiles.exitCode(dir.resolve("exit"))).isEmpty();
        Files.writeString(dir.resolve("exit"), "143\n");
        assertThat(StateFiles.exitCode(dir.resolve("exit"))).isEqualTo(OptionalInt.of(143));
        Files.writeString(dir.resolve("exit"), "");
        assertThat(StateFiles.exitCode(dir.resolve("exit"))).isEmpty();
    }

    @Test
    void startTimeIsField22EvenWithAParenthesisedCommandName() {
        String fields = " S 1 100 100 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assertThat(StateFiles.parseStartTime("100 (sh) x)" + fields)).isEqualTo(OptionalLong.of(987654));
        assertThat(StateFiles.parseStartTime("100 (sh)" + fields.replace(" S ", " Z "))).isEmpty();
        assertThat(StateFiles.parseStartTime("garbage")).isEmpty();
    }

    @Test
    void aLiveProcessIsAliveOnlyWithItsOwnStartTime() {
        long self = ProcessHandle.current().pid();
        long start = StateFiles.startTime(self).orElseThrow();
        assertThat(StateFiles.alive(self, start)).isTrue();
        assertThat(StateFiles.alive(self, start + 1)).isFalse();
        assertThat(StateFiles.alive(Integer.MAX_VALUE, start)).isFalse();
    }
}
