package dev.ringhttp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Writes the Markdown table and the PNG chart. */
public final class Report {

    static final String REFERENCE = "ringhttp";

    private Report() {
    }

    public static String markdown(Results results, Map<String, String> machine, List<String> notes) {
        StringBuilder md = new StringBuilder("# ringhttp benchmark results\n\n");
        machine.forEach((k, v) -> md.append("- **").append(k).append("**: ").append(v).append('\n'));
        md.append("\nMedian of the repetitions, min–max beside it; ratio = peer median / ringhttp median "
                + "(for requests and messages per second above 1 means the peer is faster; for latency and memory "
                + "above 1 means the peer uses more).\n\n![chart](latest.png)\n");
        String workload = null;
        String figure = null;
        for (Results.Row row : results.rows()) {
            if (!row.workload.equals(workload)) {
                workload = row.workload;
                figure = null;
                md.append("\n## ").append(workload).append("\n");
            }
            if (!row.figure.equals(figure)) {
                figure = row.figure;
                md.append("\n### ").append(figure).append(" (").append(row.unit).append(", ")
                        .append(row.higherIsBetter ? "higher is better" : "lower is better").append(")\n\n")
                        .append("| peer | median | min–max | runs | ratio to ringhttp | notes |\n")
                        .append("| --- | ---: | ---: | ---: | ---: | --- |\n");
            }
            md.append("| ").append(row.peer).append(" | ").append(Results.number(row.median())).append(" | ")
                    .append(Results.number(row.min())).append("–").append(Results.number(row.max())).append(" | ")
                    .append(row.values.size()).append(" | ")
                    .append(Results.ratio(row, results.reference(row, REFERENCE))).append(" | ")
                    .append(row.note).append(" |\n");
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            for (String note : notes) {
                md.append("- ").append(note.replace("\n", "\n  ")).append('\n');
            }
        }
        return md.toString();
    }

    /** One grouped bar chart: each headline figure as a ratio to ringhttp, per peer. */
    public static void chart(Results results, Path png) throws IOException {
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        Set<String> peers = new LinkedHashSet<>();
        for (Results.Row row : results.rows()) {
            Results.Row ref = results.reference(row, REFERENCE);
            if (ref == null || ref.values.isEmpty() || row.values.isEmpty() || ref.median() == 0
                    || row.workload.startsWith("JMH")) {
                continue;
            }
            String name = row.workload + ": " + row.figure;
            series.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(row.peer, row.median() / ref.median());
            peers.add(row.peer);
        }
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
                .title("Peers relative to ringhttp (median, 1.0 = ringhttp)").xAxisTitle("peer")
                .yAxisTitle("ratio to ringhttp").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        List<String> categories = new ArrayList<>(peers);
        if (categories.isEmpty()) {
            categories.add(REFERENCE);
            series.put("no data", Map.of(REFERENCE, 0.0));
        }
        for (Map.Entry<String, Map<String, Double>> e : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (String peer : categories) {
                values.add(e.getValue().getOrDefault(peer, 0.0));
            }
            chart.addSeries(e.getKey(), categories, values);
        }
        Files.createDirectories(png.getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
