package dev.ringhttp.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.autoconfigure.actuate.ActuatorTestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** Meters moving with real traffic; shares its application context with the actuator integration tests. */
@SpringBootTest(classes = ActuatorTestApplication.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1", "ringhttp.server.max-connections=8",
        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.max-request-size=8KB",
        "ringhttp.server.max-websocket-message-size=4KB", "ringhttp.server.outgoing-buffer-size=1MB",
        "ringhttp.server.shutdown-grace-period=0s",
        "management.endpoints.web.exposure.include=health,info,metrics,prometheus,ringhttp",
        "management.endpoint.health.show-details=always" })
class RingHttpMetricsIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Test
    void badRequestMovesTheClosedCounter() throws Exception {
        double before = closed("BAD_REQUEST");
        String answer = ActuatorTestApplication.raw(port, "GET / HTTP/1.1\r\nHost: a\n\r\n");
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

    private double closed(String reason) {
        return registry.get("ringhttp.connections.closed").tags("type", "http", "reason", reason)
                .functionCounter().count();
    }
}
