package io.kube4j.apiserver.table;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Ages and durations written the way kubectl shows them: "5s", "3m2s", "5h", "2d3h", "3y10d". */
final class HumanDuration {
    private HumanDuration() {
    }

    /** The age of an RFC 3339 timestamp at {@code now}; "&lt;unknown&gt;" when it is missing or unreadable. */
    static String since(String timestamp, Instant now) {
        if (timestamp == null || timestamp.isEmpty()) {
            return "<unknown>";
        }
        try {
            return format(Duration.between(OffsetDateTime.parse(timestamp).toInstant(), now));
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    static String format(Duration d) {
        if (d.compareTo(Duration.ofSeconds(-1)) < 0) {
            return "<invalid>";
        }
        if (d.isNegative()) {
            return "0s";
        }
        long seconds = d.toSeconds();
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = d.toMinutes();
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        }
        if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        if (hours < 24 * 365 * 8) {
            long days = (hours / 24) % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
