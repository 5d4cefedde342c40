package io.kube4j.apiserver.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
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

    private static final BigInteger BINARY_STEP = BigInteger.valueOf(1024);
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final Map<Integer, String> DECIMAL_SUFFIXES = Map.of(-9, "n", -6, "u", -3, "m", 0, "", 3, "k",
            6, "M", 9, "G", 12, "T", 15, "P", 18, "E");

    private Quantity() {
    }

    /**
     * The form kube-apiserver stores a resource list value in: rounded up to a thousandth (kube's
     * SetDefaults_ResourceList), then written canonically in the notation the client used (binary, decimal SI or
     * exponent), e.g. {@code 1000m} becomes {@code 1}, {@code 0.5} becomes {@code 500m}, {@code 1.5Gi} becomes
     * {@code 1536Mi}. Empty when {@code text} is not a quantity.
     */
    public static Optional<String> canonical(String text) {
        Optional<BigDecimal> parsed = parse(text);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal value = parsed.get().setScale(3, RoundingMode.UP);
        if (value.signum() == 0) {
            return Optional.of("0");
        }
        String sign = value.signum() < 0 ? "-" : "";
        value = value.abs();
        String suffix = suffixOf(text.trim());
        boolean binary = suffix.endsWith("i");
        boolean exponent = !binary && (suffix.startsWith("e") || suffix.startsWith("E"));
        if (binary && value.compareTo(BigDecimal.valueOf(1024)) >= 0 && value.stripTrailingZeros().scale() <= 0) {
            BigInteger number = value.toBigIntegerExact();
            int step = 0;
            while (step < BINARY_SUFFIXES.length - 1 && number.mod(BINARY_STEP).signum() == 0) {
                number = number.divide(BINARY_STEP);
                step++;
            }
            return Optional.of(sign + number + BINARY_SUFFIXES[step]);
        }
        BigDecimal stripped = value.stripTrailingZeros();
        int power = -stripped.scale();
        int canonicalPower = Math.floorDiv(power, 3) * 3;
        if (!exponent && canonicalPower > 18) {
            canonicalPower = 18;
        }
        BigInteger mantissa = stripped.unscaledValue().multiply(BigInteger.TEN.pow(power - canonicalPower));
        String written = exponent
                ? (canonicalPower == 0 ? "" : "e" + canonicalPower)
                : DECIMAL_SUFFIXES.get(canonicalPower);
        return Optional.of(sign + mantissa + written);
    }

    private static String suffixOf(String text) {
        Matcher m = SHAPE.matcher(text);
        return m.matches() ? m.group(3) : "";
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
