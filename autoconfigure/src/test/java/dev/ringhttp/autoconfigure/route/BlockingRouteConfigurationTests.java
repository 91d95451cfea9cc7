package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which routes leave the loop: {@code ringhttp.routes.blocking}, and a blocking route that cannot. */
class BlockingRouteConfigurationTests {

    static class Routes {
        @HttpRoute("/where")
        String where() {
            return Thread.currentThread().getName();
        }

        /** Takes the core response: stays on the loop even when blocking is the default. */
        @HttpRoute("/core")
        void core(HttpResponse response) {
            response.contentType("text/plain").body(Thread.currentThread().getName());
        }
    }

    static class WrongRoutes {
        @HttpRoute(path = "/wrong", blocking = true)
        String wrong(HttpRequest request) {
            return request.path();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes() {
            return new Routes();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WrongApp {
        @Bean
        WrongRoutes routes() {
            return new WrongRoutes();
        }
    }

    private static SpringApplicationBuilder app(Class<?> type, String... properties) {
        return new SpringApplicationBuilder(type).web(WebApplicationType.NONE)
                .properties("ringhttp.server.port=0", "ringhttp.server.max-connections=8",
                        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB")
                .properties(properties);
    }

    private static String get(int port, String path) throws Exception {
        java.net.http.HttpResponse<String> r = HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void blockingByDefaultMovesEveryRouteThatCanLeaveTheLoop() throws Exception {
        try (ConfigurableApplicationContext context = app(App.class, "ringhttp.routes.blocking=true").run()) {
            int port = context.getBean(RingHttpServer.class).address().getPort();
            assertThat(get(port, "/where")).startsWith("ringhttp-blocking-");
            assertThat(get(port, "/core")).doesNotStartWith("ringhttp-blocking-");
        }
        try (ConfigurableApplicationContext context = app(App.class).run()) {
            int port = context.getBean(RingHttpServer.class).address().getPort();
            assertThat(get(port, "/where")).as("off by default").doesNotStartWith("ringhttp-blocking-");
        }
    }

    @Test
    void aBlockingRouteThatTakesTheCoreRequestFailsStartUpSayingWhy() {
        assertThatThrownBy(() -> app(WrongApp.class).run())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("@HttpRoute(blocking = true) on WrongRoutes.wrong()")
                .hasMessageContaining("cannot take HttpRequest, HttpResponse or a ByteBuffer body");
    }
}
