package io.kube4j.runtime.metrics;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Metric families by name, and their Prometheus text exposition ({@code text/plain; version=0.0.4}).
 * Thread-safe: recording never locks (one adder per label set, created once), and a scrape reads
 * the adders as they are, as Prometheus clients do.
 */
public final class MetricsRegistry {
    /** The Content-Type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final List<Family> families = new CopyOnWriteArrayList<>();

    /** A metric family: its samples written on a scrape. */
    private interface Family {
        String name();

        void write(StringBuilder out);
    }

    /** A counter with these label names. */
    public Counter counter(String name, String help, String... labelNames) {
        return register(new Counter(name, help, labelNames));
    }

    /** A histogram with these upper bucket bounds (ascending; {@code +Inf} is added) and label names. */
    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        return register(new Histogram(name, help, buckets, labelNames));
    }

    /**
     * A gauge whose samples {@code read} reports at each scrape (it gets a sink taking label values
     * and the value); {@code read} may lock briefly but must not block on I/O.
     */
    public void gauge(String name, String help, Consumer<GaugeSink> read, String... labelNames) {
        register(new Gauge(name, help, read, labelNames));
    }

    /** Where a gauge reports its samples during a scrape. */
    @FunctionalInterface
    public interface GaugeSink {
        /** One sample: {@code labelValues} in the order of the gauge's label names. */
        void sample(double value, String... labelValues);
    }

    /** Every family's samples, in the order they were registered. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        for (Family f : families) {
            f.write(out);
        }
        return out.toString();
    }

    /** kube's {@code ExponentialBuckets(start, factor, count)}: start, start·factor, ... ({@code count} bounds). */
    public static double[] exponentialBuckets(double start, double factor, int count) {
        if (start <= 0 || factor <= 1 || count < 1) {
            throw new IllegalArgumentException("exponential buckets need start > 0, factor > 1, count >= 1");
        }
        double[] b = new double[count];
        b[0] = start;
        for (int i = 1; i < count; i++) {
            b[i] = b[i - 1] * factor;
        }
        return b;
    }

    private <F extends Family> F register(F family) {
        for (Family existing : families) {
            if (existing.name().equals(family.name())) {
                throw new IllegalArgumentException("metric " + family.name() + " is registered twice");
            }
        }
        families.add(family);
        return family;
    }

    private abstract static class Base implements Family {
        final String name;
        final String help;
        final String type;
        final String[] labelNames;

        Base(String name, String help, String type, String[] labelNames) {
            this.name = requireNonNull(name, "name is null");
            this.help = requireNonNull(help, "help is null");
            this.type = type;
            this.labelNames = labelNames.clone();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid metric name: " + name);
            }
            for (String l : labelNames) {
                if (!LABEL.matcher(l).matches() || l.equals("le")) {
                    throw new IllegalArgumentException("invalid label name of " + name + ": " + l);
                }
            }
        }

        @Override
        public String name() {
            return name;
        }

        void header(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                    .append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        LabelValues values(String[] labelValues) {
            if (labelValues.length != labelNames.length) {
                throw new IllegalArgumentException(name + " takes labels " + Arrays.toString(labelNames) + ", got "
                        + Arrays.toString(labelValues));
            }
            return new LabelValues(labelValues.clone());
        }

        /** {@code name{a="x",b="y"} } with {@code extra} (the {@code le} of a bucket) last. */
        void sampleName(StringBuilder out, String metric, String[] values, String extraName, String extraValue) {
            out.append(metric);
            if (values.length > 0 || extraName != null) {
                out.append('{');
                for (int i = 0; i < values.length; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    out.append(labelNames[i]).append("=\"").append(escape(values[i])).append('"');
                }
                if (extraName != null) {
                    if (values.length > 0) {
                        out.append(',');
                    }
                    out.append(extraName).append("=\"").append(extraValue).append('"');
                }
                out.append('}');
            }
            out.append(' ');
        }
    }

    /** Label values as a map key. */
    private record LabelValues(String[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof LabelValues other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    /** A monotonically increasing count per label set. */
    public static final class Counter extends Base {
        private final Map<LabelValues, LongAdder> children = new ConcurrentHashMap<>();

        Counter(String name, String help, String[] labelNames) {
            super(name, help, "counter", labelNames);
        }

        /** Adds one to the count of these label values. */
        public void inc(String... labelValues) {
            child(labelValues).increment();
        }

        /** The count of these label values (0 if never incremented). */
        public long get(String... labelValues) {
            LongAdder a = children.get(values(labelValues));
            return a == null ? 0 : a.sum();
        }

        /** Makes the sample exist at 0, so that a scrape shows it before the first increment. */
        public void touch(String... labelValues) {
            child(labelValues);
        }

        private LongAdder child(String[] labelValues) {
            return children.computeIfAbsent(values(labelValues), k -> new LongAdder());
        }

        @Override
        public void write(StringBuilder out) {
            header(out);
            for (Map.Entry<LabelValues, LongAdder> e : sorted(children)) {
                sampleName(out, name, e.getKey().values(), null, null);
                out.append(e.getValue().sum()).append('\n');
            }
        }
    }

    /** Observations counted into cumulative buckets, with their sum and count, per label set. */
    public static final class Histogram extends Base {
        private final double[] bounds;
        private final Map<LabelValues, Child> children = new ConcurrentHashMap<>();

        private record Child(LongAdder[] buckets, DoubleAdder sum, LongAdder count) {
        }

        Histogram(String name, String help, double[] buckets, String[] labelNames) {
            super(name, help, "histogram", labelNames);
            this.bounds = buckets.clone();
            for (int i = 1; i < bounds.length; i++) {
                if (bounds[i] <= bounds[i - 1]) {
                    throw new IllegalArgumentException("buckets of " + name + " must ascend");
                }
            }
        }

        /** Records {@code value} (seconds, say) for these label values. */
        public void observe(double value, String... labelValues) {
            Child c = children.computeIfAbsent(values(labelValues), k -> {
                LongAdder[] b = new LongAdder[bounds.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = new LongAdder();
                }
                return new Child(b, new DoubleAdder(), new LongAdder());
            });
            // Only the first bucket that holds the value is counted; a scrape adds them up (cumulative).
            int i = Arrays.binarySearch(bounds, value);
            if (i < 0) {
                i = -i - 1;
            }
            if (i < bounds.length) {
                c.buckets()[i].increment();
            }
            c.sum().add(value);
            c.count().increment();
        }

        /** How many observations these label values had. */
        public long count(String... labelValues) {
            Child c = children.get(values(labelValues));
            return c == null ? 0 : c.count().sum();
        }

        @Override
        public void write(StringBuilder out) {
            header(out);
            for (Map.Entry<LabelValues, Child> e : sorted(children)) {
                String[] v = e.getKey().values();
                Child c = e.getValue();
                long cumulative = 0;
                for (int i = 0; i < bounds.length; i++) {
                    cumulative += c.buckets()[i].sum();
                    sampleName(out, name + "_bucket", v, "le", format(bounds[i]));
                    out.append(cumulative).append('\n');
                }
                long count = c.count().sum();
                sampleName(out, name + "_bucket", v, "le", "+Inf");
                out.append(Math.max(count, cumulative)).append('\n');
                sampleName(out, name + "_sum", v, null, null);
                out.append(format(c.sum().sum())).append('\n');
                sampleName(out, name + "_count", v, null, null);
                out.append(Math.max(count, cumulative)).append('\n');
            }
        }
    }

    private static final class Gauge extends Base {
        private final Consumer<GaugeSink> read;

        Gauge(String name, String help, Consumer<GaugeSink> read, String[] labelNames) {
            super(name, help, "gauge", labelNames);
            this.read = requireNonNull(read, "read is null");
        }

        @Override
        public void write(StringBuilder out) {
            header(out);
            read.accept((value, labelValues) -> {
                sampleName(out, name, values(labelValues).values(), null, null);
                out.append(format(value)).append('\n');
            });
        }
    }

    private static <V> List<Map.Entry<LabelValues, V>> sorted(Map<LabelValues, V> children) {
        List<Map.Entry<LabelValues, V>> entries = new ArrayList<>(children.entrySet());
        entries.sort((a, b) -> Arrays.compare(a.getKey().values(), b.getKey().values()));
        return entries;
    }

    static String format(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
