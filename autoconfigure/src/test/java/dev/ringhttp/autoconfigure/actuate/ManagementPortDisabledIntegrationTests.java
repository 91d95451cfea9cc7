package dev.ringhttp.autoconfigure.actuate;

import static dev.ringhttp.autoconfigure.actuate.ActuatorTestApplication.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.RingHttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** {@code management.server.port=-1}, as in Boot: no endpoint over HTTP, routes as usual. */
@SpringBootTest(classes = ActuatorTestApplication.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1", "ringhttp.server.max-connections=8",
        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=1MB",
        "ringhttp.server.shutdown-grace-period=0s", "management.server.port=-1",
        "management.endpoints.web.exposure.include=health" })
class ManagementPortDisabledIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    RingHttpServer server;

    @Test
    void aNegativePortServesNoEndpointOverHttp() throws Exception {
        assertThat(server.managementAddress()).isNull();
        assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get(port, "/hello/world").statusCode()).isEqualTo(200);
    }
}
