package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpMethod;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestBody;

/** {@code @HttpRoute}'s {@code consumes} and {@code produces} over real sockets: 415, 406, and the type answered. */
@SpringBootTest(classes = ContentNegotiationIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB"})
class ContentNegotiationIntegrationTests {

    @LocalRingHttpPort
    int port;


    static class Routes {
        @HttpRoute(path = "/page", produces = {"text/html", "text/plain"})
        String page() {
            return "<p>hi</p>";
        }

        @HttpRoute(path = "/later", produces = "text/csv")
        CompletableFuture<String> later() {
            return CompletableFuture.supplyAsync(() -> "a,b\n");
        }

        @HttpRoute(path = "/notes", method = HttpMethod.POST, consumes = "text/plain")
        String note(@RequestBody String text) {
            return "noted " + text;
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

    private HttpResponse<String> get(String path, String accept) throws Exception {
        RouteClient client = new RouteClient(port);
        return accept == null ? client.get(path) : client.send(client.request(path).header("Accept", accept));
    }

    private HttpResponse<String> post(String path, String type, String body) throws Exception {
        return new RouteClient(port).post(path, type, body);
    }

    @Test
    void producesPicksTheTypeTheClientPrefersOr406() throws Exception {
        assertThat(get("/page", null).headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
        assertThat(get("/page", "text/plain").headers().firstValue("Content-Type"))
                .hasValue("text/plain;charset=UTF-8");
        assertThat(get("/page", "text/plain;q=0.5, text/html").headers().firstValue("Content-Type"))
                .hasValue("text/html;charset=UTF-8");
        assertThat(get("/page", "text/*").headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
        HttpResponse<String> refused = get("/page", "application/json");
        assertThat(refused.statusCode()).isEqualTo(406);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> later = get("/later", "text/csv");
        assertThat(later.headers().firstValue("Content-Type")).as("kept for a deferred answer")
                .hasValue("text/csv;charset=UTF-8");
        assertThat(later.body()).isEqualTo("a,b\n");
    }

    @Test
    void aRouteWithoutCorsConfigurationIgnoresOrigin() throws Exception {
        RouteClient client = new RouteClient(port);
        HttpResponse<String> r = client.send(client.request("/page").header("Origin", "https://elsewhere.example"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(r.headers().firstValue("Vary")).isEmpty();
    }

    @Test
    void consumesRefusesOtherBodiesWith415() throws Exception {
        assertThat(post("/notes", "text/plain; charset=utf-8", "buy milk").body()).isEqualTo("noted buy milk");
        HttpResponse<String> json = post("/notes", "application/json", "{}");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(json.headers().firstValue("Accept")).hasValue("text/plain");
    }
}
