package dev.ringhttp.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
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
        scaling(results, md);
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

    /** The figures the scaling summary compares across loop counts. */
    static final List<String> SCALING_FIGURES = List.of("requests/s", "messages/s delivered");

    /**
     * With workloads run at several loop counts ({@code --loops 1,2}): for each such workload and throughput figure,
     * every peer's median at each count and its own ratio of the last count to the first. Nothing otherwise.
     */
    static void scaling(Results results, StringBuilder md) {
        // base workload -> figure -> peer -> loops -> row, each in order of first appearance
        Map<String, Map<String, Map<String, Map<Integer, Results.Row>>>> byBase = new LinkedHashMap<>();
        for (Results.Row row : results.rows()) {
            int loops = Results.loops(row.workload);
            if (loops == 0 || !SCALING_FIGURES.contains(row.figure) || row.values.isEmpty()) {
                continue;
            }
            byBase.computeIfAbsent(Results.base(row.workload), k -> new LinkedHashMap<>())
                    .computeIfAbsent(row.figure, k -> new LinkedHashMap<>())
                    .computeIfAbsent(row.peer, k -> new LinkedHashMap<>())
                    .put(loops, row);
        }
        boolean header = false;
        for (Map.Entry<String, Map<String, Map<String, Map<Integer, Results.Row>>>> base : byBase.entrySet()) {
            for (Map.Entry<String, Map<String, Map<Integer, Results.Row>>> figure : base.getValue().entrySet()) {
                List<Integer> counts = figure.getValue().values().stream().flatMap(m -> m.keySet().stream())
                        .distinct().sorted().toList();
                if (counts.size() < 2) {
                    continue;
                }
                if (!header) {
                    header = true;
                    md.append("\n## Scaling with event loops\n\nEach peer's median at each loop count, and its own "
                            + "median at the most loops over its median at the fewest (the tables below give min–max "
                            + "and the ratios to ringhttp). Read the pinning line above: where the server has every "
                            + "CPU, the load generators share them.\n");
                }
                int first = counts.get(0);
                int last = counts.get(counts.size() - 1);
                Results.Row any = figure.getValue().values().iterator().next().values().iterator().next();
                md.append("\n### ").append(base.getKey()).append(": ").append(figure.getKey()).append(" (")
                        .append(any.unit).append(")\n\n| peer |");
                for (int n : counts) {
                    md.append(' ').append(loopsName(n)).append(" |");
                }
                md.append(' ').append(loopsName(last)).append(" / ").append(loopsName(first)).append(" |\n| --- |");
                md.append(" ---: |".repeat(counts.size() + 1)).append('\n');
                for (Map.Entry<String, Map<Integer, Results.Row>> peer : figure.getValue().entrySet()) {
                    md.append("| ").append(peer.getKey()).append(" |");
                    for (int n : counts) {
                        Results.Row row = peer.getValue().get(n);
                        md.append(' ').append(row == null ? "–" : Results.number(row.median())).append(" |");
                    }
                    md.append(' ').append(Results.ratio(peer.getValue().get(last), peer.getValue().get(first)))
                            .append(" |\n");
                }
            }
        }
    }

    private static String loopsName(int n) {
        return n + (n == 1 ? " loop" : " loops");
    }

    /** The figures that get a panel in the chart; the rest are in the tables only. */
    static final Set<String> HEADLINE_FIGURES = Set.of("requests/s", "messages/s delivered",
            "readers' delivered rate, last half", "RSS growth", "RSS added by the connections");

    private static final int PANEL_WIDTH = 520;
    private static final int PANEL_HEIGHT = 340;
    private static final int COLUMNS = 3;

    /**
     * One panel per workload and headline figure: each peer's median as a bar, its min–max as the error bar, in the
     * figure's own unit (so a panel reads without the table). Then two panels over time for the first slow-consumer
     * run of each peer: RSS, and the readers' messages per second.
     *
     * @param slowSeries per peer, one sample a second: second, RSS KiB, heap KiB, readers' messages
     */
    public static void chart(Results results, Map<String, List<long[]>> slowSeries, Path png) throws IOException {
        Map<String, List<Results.Row>> panels = new LinkedHashMap<>();
        for (Results.Row row : results.rows()) {
            if (HEADLINE_FIGURES.contains(row.figure) && !row.values.isEmpty()) {
                panels.computeIfAbsent(row.workload + "|" + row.figure, k -> new ArrayList<>()).add(row);
            }
        }
        List<BufferedImage> images = new ArrayList<>();
        for (List<Results.Row> rows : panels.values()) {
            images.add(BitmapEncoder.getBufferedImage(barPanel(rows)));
        }
        if (!slowSeries.isEmpty()) {
            images.add(BitmapEncoder.getBufferedImage(seriesPanel(slowSeries, "Slow consumers: server RSS over time",
                    "MiB", 1, 1024.0)));
            images.add(BitmapEncoder.getBufferedImage(seriesPanel(slowSeries,
                    "Slow consumers: readers' messages per second", "msg/s", 3, 1.0)));
        }
        int rowsOfPanels = Math.max(1, (images.size() + COLUMNS - 1) / COLUMNS);
        BufferedImage sheet = new BufferedImage(COLUMNS * PANEL_WIDTH, rowsOfPanels * PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % COLUMNS) * PANEL_WIDTH, (i / COLUMNS) * PANEL_HEIGHT, null);
        }
        g.dispose();
        Files.createDirectories(png.getParent());
        ImageIO.write(sheet, "png", png.toFile());
    }

    private static CategoryChart barPanel(List<Results.Row> rows) {
        Results.Row first = rows.get(0);
        CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                .title(first.workload).yAxisTitle(first.figure + " (" + first.unit + ", "
                        + (first.higherIsBetter ? "higher" : "lower") + " is better)").build();
        var styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(12f));
        styler.setAxisTitleFont(styler.getAxisTitleFont().deriveFont(11f));
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        List<String> peers = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        for (Results.Row row : rows) {
            peers.add(row.peer);
            medians.add(row.median());
            // XChart draws symmetric error bars: half the min–max range, around the median.
            errors.add((row.max() - row.min()) / 2);
        }
        chart.addSeries(first.figure, peers, medians, errors);
        return chart;
    }

    private static XYChart seriesPanel(Map<String, List<long[]>> series, String title, String unit, int column,
            double divisor) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title)
                .xAxisTitle("seconds").yAxisTitle(unit).build();
        var styler = chart.getStyler();
        styler.setChartTitleFont(styler.getChartTitleFont().deriveFont(12f));
        styler.setAxisTitleFont(styler.getAxisTitleFont().deriveFont(11f));
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        for (Map.Entry<String, List<long[]>> e : series.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (long[] sample : e.getValue()) {
                x.add((double) sample[0]);
                y.add(sample[column] / divisor);
            }
            if (!x.isEmpty()) {
                chart.addSeries(e.getKey(), x, y);
            }
        }
        return chart;
    }
}
