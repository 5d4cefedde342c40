package io.kube4j.controllers.cronjob;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CronJob's {@code spec.schedule}, with the syntax kube-controller-manager accepts (robfig/cron's
 * standard parser): five fields {@code minute hour day-of-month month day-of-week}, each {@code *} or
 * {@code ?}, a value, a range {@code a-b}, any of them with a step {@code /n}, or a comma list of
 * those; month and day names ({@code JAN}, {@code MON}); and the descriptors {@code @yearly}
 * ({@code @annually}), {@code @monthly}, {@code @weekly}, {@code @daily} ({@code @midnight}),
 * {@code @hourly}. As in cron, when both day fields are restricted a day matching either one
 * matches; when one of them starts with {@code *} both must match. Immutable, thread-safe.
 */
final class CronSchedule {
    private static final Map<String, String> DESCRIPTORS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Five years of days: a schedule that matches nothing in them (Feb 30) never fires. */
    private static final int SEARCH_DAYS = 5 * 366;

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(String text, String[] fields) {
        this.text = text;
        this.minutes = field(fields[0], 0, 59, List.of(), "minute");
        this.hours = field(fields[1], 0, 23, List.of(), "hour");
        this.daysOfMonth = field(fields[2], 1, 31, List.of(), "day of month");
        this.months = field(fields[3], 1, 12, MONTHS, "month");
        this.daysOfWeek = field(fields[4], 0, 6, DAYS, "day of week");
        this.anyDayOfMonth = fields[2].startsWith("*") || fields[2].startsWith("?");
        this.anyDayOfWeek = fields[4].startsWith("*") || fields[4].startsWith("?");
    }

    /** Parses a schedule; {@link IllegalArgumentException} with the reason when it is not one. */
    static CronSchedule parse(String schedule) {
        requireNonNull(schedule, "schedule is null");
        String trimmed = schedule.trim();
        String expanded = trimmed.startsWith("@") ? DESCRIPTORS.get(trimmed.toLowerCase(Locale.ROOT)) : trimmed;
        if (expanded == null) {
            throw new IllegalArgumentException("unrecognized descriptor: " + trimmed);
        }
        String[] fields = expanded.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + fields.length + ": " + trimmed);
        }
        return new CronSchedule(trimmed, fields);
    }

    /** The first time strictly after {@code after} that the schedule fires, in {@code zone}; empty if none in five years. */
    Optional<Instant> next(Instant after, ZoneId zone) {
        ZonedDateTime start = after.atZone(zone);
        LocalDate day = start.toLocalDate();
        for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
            if (!months.get(day.getMonthValue()) || !dayMatches(day)) {
                continue;
            }
            for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
                for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
                    // A time in a daylight-saving gap moves forward, as the wall clock does.
                    Instant t = ZonedDateTime.of(LocalDateTime.of(day, LocalTime.of(h, m)), zone).toInstant();
                    if (t.isAfter(after)) {
                        return Optional.of(t);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private boolean dayMatches(LocalDate day) {
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
        return anyDayOfMonth || anyDayOfWeek ? dom && dow : dom || dow;
    }

    private static BitSet field(String field, int min, int max, List<String> names, String what) {
        BitSet bits = new BitSet(max + 1);
        for (String part : field.split(",", -1)) {
            range(part, min, max, names, what, bits);
        }
        return bits;
    }

    private static void range(String part, int min, int max, List<String> names, String what, BitSet bits) {
        String[] stepped = part.split("/", -1);
        if (stepped.length > 2) {
            throw new IllegalArgumentException("too many slashes in " + what + ": " + part);
        }
        String[] bounds = stepped[0].split("-", -1);
        int from;
        int to;
        if (stepped[0].equals("*") || stepped[0].equals("?")) {
            from = min;
            to = max;
        } else if (bounds.length == 1) {
            from = value(bounds[0], min, max, names, what);
            to = stepped.length == 2 ? max : from;
        } else if (bounds.length == 2) {
            from = value(bounds[0], min, max, names, what);
            to = value(bounds[1], min, max, names, what);
        } else {
            throw new IllegalArgumentException("too many hyphens in " + what + ": " + part);
        }
        int step = stepped.length == 2 ? number(stepped[1], what) : 1;
        if (from > to) {
            throw new IllegalArgumentException("beginning of range (" + from + ") beyond end of range (" + to + ") in " + what);
        }
        if (step <= 0) {
            throw new IllegalArgumentException("step of range should be a positive number in " + what + ": " + part);
        }
        for (int v = from; v <= to; v += step) {
            bits.set(v);
        }
    }

    private static int value(String token, int min, int max, List<String> names, String what) {
        int named = names.indexOf(token.toUpperCase(Locale.ROOT));
        int v = named >= 0 ? named + min : number(token, what);
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    private static int number(String token, String what) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse " + what + " '" + token + "'", e);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
