package io.kube4j.apiserver.validation;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Kubernetes resource quantities ({@code 100m}, {@code 1Gi}, {@code 1e3}) into exact decimals, so that
 * requests can be compared with limits and QoS classes computed without a float in sight.
 */
public final class Quantity {
    /** The pattern kube-apiserver quotes when it rejects a quantity. */
    public static final String FORMAT = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    private static final Pattern SHAPE = Pattern.compile("([+-]?)([0-9]*\\.?[0-9]*)(.*)");
    private static final Pattern EXPONENT = Pattern.compile("[eE]([+-]?[0-9]+)");
    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("n", new BigDecimal("1e-9")),
            Map.entry("u", new BigDecimal("1e-6")),
            Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("k", new BigDecimal("1e3")),
            Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")),
            Map.entry("T", new BigDecimal("1e12")),
            Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(2).pow(10)),
            Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
            Map.entry("Gi", BigDecimal.valueOf(2).pow(30)),
            Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
            Map.entry("Pi", BigDecimal.valueOf(2).pow(50)),
            Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

    private Quantity() {
    }

    /** The value of {@code text}, or empty when it is not a quantity kube would accept. */
    public static Optional<BigDecimal> parse(String text) {
        Matcher m = SHAPE.matcher(text.trim());
        if (text.isBlank() || !m.matches()) {
            return Optional.empty();
        }
        String digits = m.group(2);
        if (digits.isEmpty() || digits.equals(".")) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(digits.startsWith(".") ? "0" + digits : digits);
        if (m.group(1).equals("-")) {
            number = number.negate();
        }
        String suffix = m.group(3);
        BigDecimal scale = SUFFIXES.get(suffix);
        if (scale != null) {
            return Optional.of(number.multiply(scale));
        }
        Matcher exp = EXPONENT.matcher(suffix);
        if (exp.matches() && exp.group(1).length() < 6) {
            return Optional.of(number.scaleByPowerOfTen(Integer.parseInt(exp.group(1))));
        }
        return Optional.empty();
    }
}
