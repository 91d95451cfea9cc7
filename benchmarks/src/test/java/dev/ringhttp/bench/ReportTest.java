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
