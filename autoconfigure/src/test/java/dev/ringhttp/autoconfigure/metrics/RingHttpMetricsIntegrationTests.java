package dev.ringhttp.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringhttp.autoconfigure.actuate.ActuatorIntegrationTest;
import dev.ringhttp.autoconfigure.actuate.ActuatorTestApplication;
import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.testing.RawConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Meters moving with real traffic; shares its application context with the actuator integration tests. */
@ActuatorIntegrationTest
class RingHttpMetricsIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Test
    void badRequestMovesTheClosedCounter() throws Exception {
        double before = closed("BAD_REQUEST");
        String answer = RawConnection.requestUntilClose(port, "GET / HTTP/1.1\r\nHost: a\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(closed("BAD_REQUEST")).isEqualTo(before + 1));
        assertThat(registry.get("ringhttp.bytes.read").functionCounter().count()).isPositive();
        assertThat(registry.get("ringhttp.connections.opened").tag("type", "http").functionCounter().count())
                .isPositive();
    }

    @Test
    void requestTimerIsTaggedWithMethodRouteAndStatus() throws Exception {
        assertThat(ActuatorTestApplication.get(port, "/hello/timer").statusCode()).isEqualTo(200);
        assertThat(ActuatorTestApplication.get(port, "/nowhere").statusCode()).isEqualTo(404);
        Timer timer = registry.get("ringhttp.requests")
                .tags("method", "GET", "route", "/hello/{name}", "status", "200").timer();
        assertThat(timer.count()).isPositive();
        assertThat(registry.get("ringhttp.requests").tags("route", "NOT_FOUND", "status", "404").timer().count())
                .isPositive();
    }

    @Test
    void prometheusScrapeShowsHttpServerRequestsByRoutePattern() throws Exception {
        assertThat(ActuatorTestApplication.get(port, "/hello/prometheus").statusCode()).isEqualTo(200);
        String scrape = ActuatorTestApplication.get(port, "/actuator/prometheus", "Accept", "text/plain").body();
        assertThat(scrape.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")))
                .anySatisfy(line -> assertThat(line).contains("method=\"GET\"", "uri=\"/hello/{name}\"",
                        "status=\"200\"", "outcome=\"SUCCESS\"", "exception=\"none\""));
    }

    private double closed(String reason) {
        return registry.get("ringhttp.connections.closed").tags("type", "http", "reason", reason)
                .functionCounter().count();
    }
}
