package dev.ringhttp.autoconfigure.actuate;

import static dev.ringhttp.autoconfigure.actuate.ActuatorTestApplication.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * {@code management.endpoints.web.*} properties on the ringhttp port (exposure, base path, path mapping), in
 * an application whose health is DOWN.
 */
@SpringBootTest(classes = ActuatorExposureIntegrationTests.DownApplication.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1", "ringhttp.server.max-connections=8",
        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.max-request-size=8KB",
        "ringhttp.server.max-websocket-message-size=4KB", "ringhttp.server.outgoing-buffer-size=1MB",
        "ringhttp.server.shutdown-grace-period=0s",
        "management.endpoints.web.base-path=/manage",
        "management.endpoints.web.path-mapping.health=healthcheck",
        "management.endpoints.web.exposure.include=*",
        "management.endpoints.web.exposure.exclude=ringhttp,env" })
class ActuatorExposureIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Test
    void excludedEndpointsAreNotServed() throws Exception {
        assertThat(get(port, "/manage/ringhttp").statusCode()).isEqualTo(404);
        assertThat(get(port, "/manage/env").statusCode()).isEqualTo(404);
        assertThat(get(port, "/manage/beans").statusCode()).isEqualTo(200);
    }

    @Test
    void downHealthAnswers503() throws Exception {
        HttpResponse<String> response = get(port, "/manage/healthcheck");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"status\":\"DOWN\"");
    }

    @Test
    void basePathAndPathMappingAreHonoured() throws Exception {
        assertThat(get(port, "/manage/healthcheck").statusCode()).isEqualTo(503);
        assertThat(get(port, "/manage/health").statusCode()).isEqualTo(404);
        assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get(port, "/manage").body()).contains("/manage/healthcheck").doesNotContain("\"ringhttp\"");
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ActuatorTestApplication.class)
    static class DownApplication {

        @Bean
        HealthIndicator brokenHealthIndicator() {
            return () -> Health.down().withDetail("cause", "test").build();
        }
    }
}
