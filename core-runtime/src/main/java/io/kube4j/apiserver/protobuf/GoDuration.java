package io.kube4j.apiserver.protobuf;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/** Go's {@code time.Duration} text form, which Kubernetes uses for {@code metav1.Duration} in JSON. */
final class GoDuration {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L,
            "\u03bcs", 1_000L,
            "ms", 1_000_000L,
            "s", NANOS_PER_SECOND,
            "m", 60 * NANOS_PER_SECOND,
            "h", 3600 * NANOS_PER_SECOND);

    private GoDuration() {}

    /** Formats nanoseconds as Go's {@code Duration.String()} does: {@code 1h2m3.5s}, {@code 1.5ms}, {@code 0s}. */
    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        // Long.MIN_VALUE has no positive long, so the magnitude is kept unsigned.
        long magnitude = Math.abs(nanos);
        if (nanos != Long.MIN_VALUE && magnitude < NANOS_PER_SECOND) {
            if (magnitude < 1_000L) {
                return sign + magnitude + "ns";
            }
            if (magnitude < 1_000_000L) {
                return sign + withFraction(magnitude, 1_000L, 3) + "\u00b5s";
            }
            return sign + withFraction(magnitude, 1_000_000L, 6) + "ms";
        }
        long seconds = Long.divideUnsigned(magnitude, NANOS_PER_SECOND);
        long fraction = Long.remainderUnsigned(magnitude, NANOS_PER_SECOND);
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        StringBuilder text = new StringBuilder(sign);
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        text.append(withFraction(seconds % 60 * NANOS_PER_SECOND + fraction, NANOS_PER_SECOND, 9));
        return text.append('s').toString();
    }

    private static String withFraction(long value, long unit, int digits) {
        String whole = Long.toString(value / unit);
        long rest = value % unit;
        if (rest == 0) {
            return whole;
        }
        String fraction = String.format("%0" + digits + "d", rest).replaceFirst("0+$", "");
        return whole + "." + fraction;
    }

    /** Parses Go's duration syntax ({@code 300ms}, {@code -1.5h}, {@code 2h45m}) to nanoseconds. */
    static long parse(String text) {
        String rest = text;
        boolean negative = false;
        if (rest.startsWith("-") || rest.startsWith("+")) {
            negative = rest.charAt(0) == '-';
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return 0;
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < rest.length()) {
            int numberStart = i;
            while (i < rest.length() && (Character.isDigit(rest.charAt(i)) || rest.charAt(i) == '.')) {
                i++;
            }
            int unitStart = i;
            while (i < rest.length() && !Character.isDigit(rest.charAt(i)) && rest.charAt(i) != '.') {
                i++;
            }
            String number = rest.substring(numberStart, unitStart);
            Long unit = UNITS.get(rest.substring(unitStart, i));
            if (number.isEmpty() || number.equals(".") || unit == null) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            }
            total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
        }
        BigInteger nanos = total.toBigInteger();
        if (nanos.bitLength() > 63) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\": out of range");
        }
        return negative ? -nanos.longValueExact() : nanos.longValueExact();
    }
}
