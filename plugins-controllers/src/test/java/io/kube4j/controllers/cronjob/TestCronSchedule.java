package io.kube4j.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TestCronSchedule {
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static Instant next(String schedule, String after) {
        return CronSchedule.parse(schedule).next(Instant.parse(after), UTC).orElseThrow();
    }

    @Test
    void fieldsRangesStepsListsAndNames() {
        assertThat(next("* * * * *", "2026-03-01T10:00:00Z")).isEqualTo("2026-03-01T10:01:00Z");
        assertThat(next("* * * * *", "2026-03-01T10:00:30Z")).isEqualTo("2026-03-01T10:01:00Z");
        assertThat(next("*/15 * * * *", "2026-03-01T10:16:00Z")).isEqualTo("2026-03-01T10:30:00Z");
        assertThat(next("5,35 9-17/4 * * *", "2026-03-01T10:00:00Z")).isEqualTo("2026-03-01T13:05:00Z");
        assertThat(next("0 0 1 jan,JUL *", "2026-03-01T10:00:00Z")).isEqualTo("2026-07-01T00:00:00Z");
        assertThat(next("30 2 * * MON-FRI", "2026-03-06T03:00:00Z")).as("Friday after 02:30: Monday").isEqualTo("2026-03-09T02:30:00Z");
        assertThat(next("10/20 * * * *", "2026-03-01T10:31:00Z")).as("a start with a step runs to the end").isEqualTo("2026-03-01T10:50:00Z");
        assertThat(next("? ? ? ? ?", "2026-03-01T10:00:00Z")).isEqualTo("2026-03-01T10:01:00Z");
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEitherAStarMeansBoth() {
        // 2026-03-13 is a Friday; the 1st of April is a Wednesday.
        assertThat(next("0 0 13 * 5", "2026-03-02T00:00:00Z")).as("either: Friday the 6th").isEqualTo("2026-03-06T00:00:00Z");
        assertThat(next("0 0 */13 * 5", "2026-03-02T00:00:00Z")).as("a star field: both, the 1st, 14th or 27th and Friday")
                .isEqualTo("2026-03-27T00:00:00Z");
        assertThat(next("0 0 1 * *", "2026-03-02T00:00:00Z")).isEqualTo("2026-04-01T00:00:00Z");
    }

    @Test
    void descriptors() {
        assertThat(next("@hourly", "2026-03-01T10:00:00Z")).isEqualTo("2026-03-01T11:00:00Z");
        assertThat(next("@daily", "2026-03-01T10:00:00Z")).isEqualTo("2026-03-02T00:00:00Z");
        assertThat(next("@midnight", "2026-03-01T10:00:00Z")).isEqualTo("2026-03-02T00:00:00Z");
        assertThat(next("@weekly", "2026-03-01T10:00:00Z")).as("Sunday 1 March -> Sunday 8").isEqualTo("2026-03-08T00:00:00Z");
        assertThat(next("@monthly", "2026-03-01T10:00:00Z")).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(next("@yearly", "2026-03-01T10:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("@annually", "2026-03-01T10:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
    }

    @Test
    void timeZones() {
        CronSchedule nineAm = CronSchedule.parse("0 9 * * *");
        assertThat(nineAm.next(Instant.parse("2026-03-01T10:00:00Z"), ZoneId.of("Asia/Tokyo")))
                .contains(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(nineAm.next(Instant.parse("2026-03-01T10:00:00Z"), ZoneId.of("America/New_York")))
                .contains(Instant.parse("2026-03-01T14:00:00Z"));
        // 8 March 2026, New York skips 02:00-03:00: the 02:30 run happens at 03:30 EDT.
        assertThat(CronSchedule.parse("30 2 * * *").next(Instant.parse("2026-03-08T05:00:00Z"), ZoneId.of("America/New_York")))
                .contains(Instant.parse("2026-03-08T07:30:00Z"));
    }

    @Test
    void aScheduleThatNeverFires() {
        assertThat(CronSchedule.parse("0 0 30 2 *").next(Instant.parse("2026-03-01T10:00:00Z"), UTC)).isEmpty();
    }

    @Test
    void errorsSayWhy() {
        assertThatThrownBy(() -> CronSchedule.parse("* * * *")).hasMessageContaining("expected exactly 5 fields");
        assertThatThrownBy(() -> CronSchedule.parse("60 * * * *")).hasMessageContaining("minute 60 out of range");
        assertThatThrownBy(() -> CronSchedule.parse("* * 0 * *")).hasMessageContaining("day of month 0 out of range");
        assertThatThrownBy(() -> CronSchedule.parse("* * * * 7")).hasMessageContaining("day of week 7 out of range");
        assertThatThrownBy(() -> CronSchedule.parse("5-1 * * * *")).hasMessageContaining("beyond end of range");
        assertThatThrownBy(() -> CronSchedule.parse("*/0 * * * *")).hasMessageContaining("positive");
        assertThatThrownBy(() -> CronSchedule.parse("x * * * *")).hasMessageContaining("failed to parse minute 'x'");
        assertThatThrownBy(() -> CronSchedule.parse("@every-so-often")).hasMessageContaining("unrecognized descriptor");
    }
}
