package dev.ringhttp.autoconfigure.actuate;

import static dev.ringhttp.autoconfigure.actuate.ActuatorTestApplication.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.RawWebSocket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@code management.server.port}: the actuator on a second listener of the same server, and only
 * there; the application's routes on the main port only.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1", "ringhttp.server.max-connections=8",
        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=1MB",
        "ringhttp.server.shutdown-grace-period=0s", "management.server.port=0",
        "management.endpoints.web.exposure.include=health,ringhttp",
        "spring.web.resources.static-locations=classpath:/static-site/" })
class ManagementPortIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Value("${local.management.port}")
    int managementPort;

    @Autowired
    RingHttpServer server;

    @Test
    void theActuatorAnswersOnTheManagementPortAndNotOnTheMainOne() throws Exception {
        assertThat(managementPort).isPositive().isNotEqualTo(port)
                .isEqualTo(server.managementAddress().getPort());
        assertThat(get(managementPort, "/actuator/health").statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/ringhttp").statusCode()).isEqualTo(200);
        assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get(port, "/actuator").statusCode()).isEqualTo(404);
    }

    @Test
    void routesAndWebSocketsAnswerOnTheMainPortOnly() throws Exception {
        HttpResponse<String> main = get(port, "/hello/world");
        assertThat(main.statusCode()).isEqualTo(200);
        assertThat(main.body()).isEqualTo("Hello world");
        assertThat(get(managementPort, "/hello/world").statusCode()).isEqualTo(404);
        assertThat(get(port, "/data.json").statusCode()).as("static files stay on the main port").isEqualTo(200);
        assertThat(get(managementPort, "/data.json").statusCode()).isEqualTo(404);
        try (RawConnection c = new RawConnection(managementPort)) {
            c.send(RawWebSocket.handshakeRequest("/ws/anything", ""));
            RawResponse refused = c.readResponse();
            assertThat(refused.status()).isEqualTo(404);
        }
    }
}
