package dev.ringhttp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.bench.peers.Payload;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the harness that need no servers: wrk parsing, statistics, the Markdown table, the payload stamp. */
class ReportTest {

    private static final String WRK = """
            Running 5s test @ http://127.0.0.1:18080/hello
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   412.50us  120.00us   5.01ms   90.00%
              Latency Distribution
                 50%  400.00us
                 75%  450.00us
                 90%  500.00us
                 99%    1.25ms
              780000 requests in 5.00s, 95.21MB read
              Socket errors: connect 0, read 3, write 0, timeout 1
            Requests/sec: 155999.80
            Transfer/sec:     19.04MB
            """;

    @Test
    void parsesWrkRequestsLatencyAndErrors() {
        Harness.Wrk w = Harness.parseWrk(WRK);
        assertThat(w.rps()).isEqualTo(155999.80);
        assertThat(w.p99Millis()).isEqualTo(1.25);
        assertThat(w.errors()).isEqualTo(4);
    }

    @Test
    void reportsMedianRangeAndRatioToRinghttp() {
        Results r = new Results();
        for (double v : new double[] {100, 300, 200}) {
            r.add("HTTP", "requests/s", "req/s", true, "ringhttp", v);
        }
        for (double v : new double[] {50, 150, 100}) {
            r.add("HTTP", "requests/s", "req/s", true, "netty", v);
        }
        String md = Report.markdown(r, Map.of("CPU", "test"), List.of());
        assertThat(md).contains("| ringhttp | 200 | 100–300 | 3 | 1.00 |")
                .contains("| netty | 100 | 50.0–150 | 3 | 0.50 |");
    }

    @Test
    void labelsCarryTheLoopCountOnlyWhenTheRunHasOtherCounts() {
        assertThat(Harness.label("HTTP keep-alive, 64 connections", 1, List.of(1)))
                .isEqualTo("HTTP keep-alive, 64 connections");
        assertThat(Harness.label("HTTP keep-alive, 64 connections", 1, List.of(1, 2)))
                .isEqualTo("HTTP keep-alive, 64 connections, 1 loop");
        assertThat(Harness.label("HTTP keep-alive, 64 connections", 2, List.of(1, 2)))
                .isEqualTo("HTTP keep-alive, 64 connections, 2 loops");
        assertThat(Harness.parseLoops("1,2,2")).containsExactly(1, 2);
        assertThat(Results.base("HTTP keep-alive, 64 connections, 2 loops")).isEqualTo("HTTP keep-alive, 64 connections");
        assertThat(Results.loops("HTTP keep-alive, 64 connections, 2 loops")).isEqualTo(2);
        assertThat(Results.loops("HTTP keep-alive, 64 connections")).isZero();
    }

    @Test
    void oneLoopKeepsTheOldPinningAndTwoLoopsOnTwoCpusShareThem() {
        assertThat(Harness.serverCpus(1, 2)).isEqualTo("1");
        assertThat(Harness.loadCpus(1, 2)).isEqualTo("0");
        assertThat(Harness.serverCpus(2, 2)).isEqualTo("0-1");
        assertThat(Harness.loadCpus(2, 2)).isEqualTo("0-1");
        // On a larger machine the server keeps off CPU 0 while it can, and the load gets what is left.
        assertThat(Harness.serverCpus(2, 4)).isEqualTo("1-2");
        assertThat(Harness.loadCpus(2, 4)).isEqualTo("0,3");
        assertThat(Harness.serverCpus(2, 8)).isEqualTo("1-2");
        assertThat(Harness.loadCpus(2, 8)).isEqualTo("0,3-7");
        assertThat(Harness.loadCpus(1, 8)).isEqualTo("0");
        assertThat(Harness.serverCpus(3, 4)).isEqualTo("1-3");
        assertThat(Harness.loadCpus(3, 4)).isEqualTo("0");
    }

    @Test
    void loopCountsOfOneWorkloadStandTogetherWithAScalingSummary() {
        Results r = new Results();
        // In the harness's order: every workload at 1 loop, then at 2.
        r.add("HTTP keep-alive, 64 connections, 1 loop", "requests/s", "req/s", true, "ringhttp", 100);
        r.add("HTTP keep-alive, 64 connections, 1 loop", "requests/s", "req/s", true, "netty", 80);
        r.add("HTTP keep-alive, 256 connections, 1 loop", "requests/s", "req/s", true, "ringhttp", 90);
        r.add("HTTP keep-alive, 64 connections, 2 loops", "requests/s", "req/s", true, "ringhttp", 150);
        r.add("HTTP keep-alive, 64 connections, 2 loops", "requests/s", "req/s", true, "netty", 160);
        r.add("HTTP keep-alive, 64 connections, 2 loops", "p99 latency", "ms", false, "ringhttp", 1);
        r.add("HTTP keep-alive, 256 connections, 2 loops", "requests/s", "req/s", true, "ringhttp", 180);
        List<String> order = r.rows().stream().map(row -> row.workload).distinct().toList();
        assertThat(order).containsExactly("HTTP keep-alive, 64 connections, 1 loop",
                "HTTP keep-alive, 64 connections, 2 loops", "HTTP keep-alive, 256 connections, 1 loop",
                "HTTP keep-alive, 256 connections, 2 loops");
        String md = Report.markdown(r, Map.of("CPU", "test"), List.of());
        assertThat(md).contains("## Scaling with event loops")
                .contains("### HTTP keep-alive, 64 connections: requests/s (req/s)\n\n"
                        + "| peer | 1 loop | 2 loops | 2 loops / 1 loop |\n| --- | ---: | ---: | ---: |\n"
                        + "| ringhttp | 100 | 150 | 1.50 |\n| netty | 80.0 | 160 | 2.00 |\n")
                .contains("### HTTP keep-alive, 256 connections: requests/s (req/s)")
                .doesNotContain("p99 latency (ms)\n\n| peer | 1 loop")
                // the ratio to ringhttp within each loop count, as before
                .contains("## HTTP keep-alive, 64 connections, 2 loops")
                .contains("| netty | 160 | 160–160 | 1 | 1.07 |");
        assertThat(md.indexOf("## Scaling")).isLessThan(md.indexOf("## HTTP keep-alive, 64 connections, 1 loop"));
    }

    @Test
    void noScalingSummaryWithoutLoopCounts() {
        Results r = new Results();
        r.add("HTTP keep-alive, 64 connections", "requests/s", "req/s", true, "ringhttp", 100);
        assertThat(Report.markdown(r, Map.of("CPU", "test"), List.of())).doesNotContain("Scaling");
    }

    @Test
    void chartHasOnePanelPerHeadlineFigureAndTwoOverTime(@TempDir Path dir) throws Exception {
        Results r = new Results();
        for (String peer : List.of("ringhttp", "netty")) {
            r.add("HTTP keep-alive, 64 connections", "requests/s", "req/s", true, peer, 100);
            r.add("HTTP keep-alive, 64 connections", "p99 latency", "ms", false, peer, 1); // table only
            r.add("Footprint", "RSS added by the connections", "MiB", false, peer, 10);
        }
        Map<String, List<long[]>> series = Map.of("ringhttp", List.of(new long[] {1, 2048, 100, 5000}));
        Path png = dir.resolve("chart.png");
        Report.chart(r, series, png);
        BufferedImage image = ImageIO.read(png.toFile());
        // 2 bar panels + 2 series panels = 4 panels, 3 to a row: 2 rows.
        assertThat(image.getWidth()).isEqualTo(3 * 520);
        assertThat(image.getHeight()).isEqualTo(2 * 340);
    }

    @Test
    void stampsAndReadsTheServerTimestamp() {
        byte[] message = Payload.template(64);
        assertThat(message).hasSize(64);
        Payload.stamp(message, 1234567890123L);
        assertThat(Payload.timestamp(message, 0)).isEqualTo(1234567890123L);
        ByteBuffer direct = ByteBuffer.allocateDirect(100).put(3, message);
        assertThat(Payload.timestamp(direct, 3)).isEqualTo(1234567890123L);
    }
}
