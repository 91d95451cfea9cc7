package dev.ringhttp.autoconfigure.testclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.autoconfigure.server.RingHttpWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.http.server.LocalTestWebServer;

/** How Boot's test clients, which ask {@link LocalTestWebServer}, learn where ringhttp listens. */
class RingHttpLocalTestWebServerProviderTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.max-connections=4",
                    "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=1MB");

    @Test
    void pointsAtTheRunningServer() {
        runner.withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class)).run(context -> {
            int port = context.getBean(RingHttpWebServer.class).getPort();
            LocalTestWebServer server = LocalTestWebServer.obtain(context);
            assertThat(server.scheme()).isEqualTo(LocalTestWebServer.Scheme.HTTP);
            assertThat(server.uri("/hello")).isEqualTo("http://localhost:" + port + "/hello");
        });
    }

    @Test
    void providesNothingWithoutARingHttpServer() {
        runner.withPropertyValues("ringhttp.server.enabled=false")
                .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class))
                .run(context -> assertThat(LocalTestWebServer.get(context)).isNull());
    }
}
