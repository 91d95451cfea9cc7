package dev.ringhttp.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Measured figures: each (workload, figure, peer) keeps every repetition; the report shows median and min–max. */
public final class Results {

    /** One figure of one peer, all repetitions. */
    public static final class Row {
        final String workload;
        final String figure;
        final String unit;
        final boolean higherIsBetter;
        final String peer;
        final List<Double> values = new ArrayList<>();
        String note = "";

        Row(String workload, String figure, String unit, boolean higherIsBetter, String peer) {
            this.workload = workload;
            this.figure = figure;
            this.unit = unit;
            this.higherIsBetter = higherIsBetter;
            this.peer = peer;
        }

        public double median() {
            return median(values);
        }

        public double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        public double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        static double median(List<Double> values) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(v);
            int n = v.length;
            return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        }
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();

    public Row row(String workload, String figure, String unit, boolean higherIsBetter, String peer) {
        return rows.computeIfAbsent(workload + "|" + figure + "|" + peer,
                k -> new Row(workload, figure, unit, higherIsBetter, peer));
    }

    public void add(String workload, String figure, String unit, boolean higherIsBetter, String peer, double value) {
        row(workload, figure, unit, higherIsBetter, peer).values.add(value);
    }

    /** A workload label's loop count suffix ({@code ", 2 loops"}), as {@code Harness.label} writes it. */
    private static final Pattern LOOPS = Pattern.compile("^(.*), (\\d+) loops?$");

    /** The workload without its loop count ({@code "HTTP keep-alive, 64 connections"}). */
    public static String base(String workload) {
        Matcher m = LOOPS.matcher(workload);
        return m.matches() ? m.group(1) : workload;
    }

    /** The loop count in a workload's label, or 0 when it names none. */
    public static int loops(String workload) {
        Matcher m = LOOPS.matcher(workload);
        return m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    /**
     * Rows grouped by workload, then figure, each in order of first appearance; the loop counts of one workload
     * ({@code "..., 1 loop"}, {@code "..., 2 loops"}) stay together, so their tables stand side by side.
     */
    public List<Row> rows() {
        List<String> bases = new ArrayList<>();
        List<String> workloads = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        for (Row r : rows.values()) {
            if (!bases.contains(base(r.workload))) {
                bases.add(base(r.workload));
            }
            if (!workloads.contains(r.workload)) {
                workloads.add(r.workload);
            }
            if (!figures.contains(r.figure)) {
                figures.add(r.figure);
            }
        }
        List<Row> sorted = new ArrayList<>(rows.values());
        sorted.sort(java.util.Comparator.<Row>comparingInt(r -> bases.indexOf(base(r.workload)))
                .thenComparingInt(r -> workloads.indexOf(r.workload))
                .thenComparingInt(r -> figures.indexOf(r.figure)));
        return sorted;
    }

    /** The ringhttp row of the same workload and figure, or null. */
    public Row reference(Row row, String referencePeer) {
        return rows.get(row.workload + "|" + row.figure + "|" + referencePeer);
    }

    /** {@code peer / ringhttp} for the medians (so for latency and memory, below 1 means the peer is lower). */
    public static String ratio(Row row, Row reference) {
        if (row == null || reference == null || reference.values.isEmpty() || row.values.isEmpty()
                || reference.median() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", row.median() / reference.median());
    }

    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
