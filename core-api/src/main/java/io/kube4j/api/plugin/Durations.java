package io.kube4j.api.plugin;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Parses durations written as Go's {@code time.ParseDuration} accepts them ({@code "5m"},
 * {@code "30s"}, {@code "1h30m"}, {@code "1.5h"}, {@code "250ms"}, {@code "0"}), because profiles
 * use the same spelling as Kubernetes' own config files.
 */
public final class Durations {
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private Durations() {
    }

    /**
     * Parses {@code text}. Units: {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s},
     * {@code m}, {@code h}; a leading sign is allowed; a bare {@code 0} needs no unit.
     *
     * @param key  the config key the text came from, named in the error message
     * @param text the duration text
     * @throws IllegalArgumentException naming {@code key} when {@code text} is not a duration
     */
    public static Duration parse(String key, String text) {
        requireNonNull(key, "key is null");
        requireNonNull(text, "text is null");
        String s = text.strip();
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(key, text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(key, text);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            BigDecimal unit = unitNanos(s.substring(unitStart, i));
            if (unit == null) {
                throw invalid(key, text);
            }
            nanos = nanos.add(new BigDecimal(number).multiply(unit));
        }
        BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(NANOS_PER_SECOND);
        Duration duration;
        try {
            duration = Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(key + ": duration out of range: \"" + text + "\"", e);
        }
        return negative ? duration.negated() : duration;
    }

    private static BigDecimal unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> BigDecimal.ONE;
            case "us", "µs", "μs" -> BigDecimal.valueOf(1_000L);
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "s" -> NANOS_PER_SECOND;
            case "m" -> BigDecimal.valueOf(60_000_000_000L);
            case "h" -> BigDecimal.valueOf(3_600_000_000_000L);
            default -> null;
        };
    }

    private static IllegalArgumentException invalid(String key, String text) {
        return new IllegalArgumentException(key + ": invalid duration \"" + text
                + "\" (expected a Go duration such as 30s, 5m, 1h30m, or 0)");
    }
}
