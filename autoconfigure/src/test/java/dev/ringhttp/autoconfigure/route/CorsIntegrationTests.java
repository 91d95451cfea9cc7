package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.ringhttp.autoconfigure.RingHttpProperties;
import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpMethod;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.CrossOrigin;

/**
 * CORS over real sockets, as spring-web's {@code CorsConfiguration} decides it: the global
 * configuration from {@code ringhttp.server.cors.*}, {@code @CrossOrigin} on a route bean's class
 * and on a method combined with it, browser-like preflights, credentials, {@code Vary}, and
 * refusals (403, no CORS header).
 */
@SpringBootTest(classes = CorsIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB",
                "ringhttp.server.cors.allowed-origins=https://app.example",
                "ringhttp.server.cors.exposed-headers=X-Total"})
class CorsIntegrationTests {

    private static final String APP = "https://app.example";
    private static final String PARTNER = "https://partner.example";
    private static final String OTHER = "https://other.example";

    @LocalRingHttpPort
    int port;

    static class Items {
        @HttpRoute(path = "/items", method = {HttpMethod.GET, HttpMethod.POST})
        String items() {
            return "items";
        }
    }

    @CrossOrigin(origins = PARTNER, allowCredentials = "true")
    static class Partner {
        @HttpRoute("/partner")
        String partner() {
            return "partner";
        }

        @CrossOrigin(origins = OTHER, maxAge = 60)
        @HttpRoute(path = "/partner/other", method = HttpMethod.PUT)
        String other() {
            return "other";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Items items() {
            return new Items();
        }

        @Bean
        Partner partner() {
            return new Partner();
        }
    }

    private HttpResponse<String> preflight(String path, String origin, String method, String headers)
            throws Exception {
        RouteClient client = new RouteClient(port);
        var request = client.request(path).method("OPTIONS", BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", method);
        if (headers != null) {
            request.header("Access-Control-Request-Headers", headers);
        }
        return client.send(request);
    }

    private HttpResponse<String> get(String path, String origin) throws Exception {
        RouteClient client = new RouteClient(port);
        var request = client.request(path);
        if (origin != null) {
            request.header("Origin", origin);
        }
        return client.send(request);
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void aBrowsersJsonPostPreflightIsAllowedItsHeaders() throws Exception {
        HttpResponse<String> r = preflight("/items", APP, "POST", "content-type");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(header(r, "Access-Control-Allow-Methods")).isEqualTo("GET, POST, HEAD");
        assertThat(header(r, "Access-Control-Allow-Headers")).isEqualTo("content-type");
        assertThat(header(r, "Access-Control-Max-Age")).isEqualTo("1800");
        assertThat(header(r, "Access-Control-Allow-Credentials")).isNull();
        assertThat(header(r, "Vary")).contains("Origin").contains("Access-Control-Request-Method")
                .contains("Access-Control-Request-Headers");
    }

    @Test
    void anAllowedOriginGetsItsOriginAndTheExposedHeaders() throws Exception {
        HttpResponse<String> r = get("/items", APP);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("items");
        assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(header(r, "Access-Control-Expose-Headers")).isEqualTo("X-Total");
        assertThat(header(r, "Vary")).startsWith("Origin");
    }

    @Test
    void aRequestWithoutOriginGetsNoCorsHeaderButVaries() throws Exception {
        HttpResponse<String> r = get("/items", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Access-Control-Allow-Origin")).isNull();
        assertThat(header(r, "Vary")).startsWith("Origin");
    }

    @Test
    void aDisallowedOriginIsRefusedWith403AndNoCorsHeaders() throws Exception {
        HttpResponse<String> pre = preflight("/items", "https://evil.example", "POST", "content-type");
        assertThat(pre.statusCode()).isEqualTo(403);
        assertThat(header(pre, "Access-Control-Allow-Origin")).isNull();
        assertThat(header(pre, "Access-Control-Allow-Methods")).isNull();
        HttpResponse<String> simple = get("/items", "https://evil.example");
        assertThat(simple.statusCode()).isEqualTo(403);
        assertThat(simple.body()).doesNotContain("items");
        assertThat(header(simple, "Access-Control-Allow-Origin")).isNull();
        assertThat(header(simple, "Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void aPreflightForAMethodTheRouteDoesNotTakeIsRefused() throws Exception {
        assertThat(preflight("/items", APP, "DELETE", null).statusCode()).isEqualTo(403);
    }

    @Test
    void crossOriginOnTheClassAllowsCredentialsAndEchoesTheOrigin() throws Exception {
        HttpResponse<String> r = get("/partner", PARTNER);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo(PARTNER);
        assertThat(header(r, "Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(header(r, "Vary")).contains("Origin");
        HttpResponse<String> pre = preflight("/partner", PARTNER, "GET", "authorization");
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(header(pre, "Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(header(pre, "Access-Control-Allow-Headers")).isEqualTo("authorization");
        assertThat(header(get("/partner", APP), "Access-Control-Allow-Origin")).as("the global origin too")
                .isEqualTo(APP);
    }

    @Test
    void crossOriginOnTheMethodCombinesWithTheClass() throws Exception {
        HttpResponse<String> other = preflight("/partner/other", OTHER, "PUT", null);
        assertThat(other.statusCode()).isEqualTo(204);
        assertThat(header(other, "Access-Control-Allow-Origin")).isEqualTo(OTHER);
        assertThat(header(other, "Access-Control-Allow-Methods")).isEqualTo("PUT");
        assertThat(header(other, "Access-Control-Max-Age")).isEqualTo("60");
        assertThat(preflight("/partner/other", PARTNER, "PUT", null).statusCode()).isEqualTo(204);
        assertThat(preflight("/partner/other", OTHER, "GET", null).statusCode()).isEqualTo(403);
        assertThat(get("/partner", OTHER).statusCode()).as("the method's origin is its own").isEqualTo(403);
    }

    @Test
    void credentialsWithAnyOriginFailAtStartUp() {
        RingHttpProperties.Cors cors = new RingHttpProperties.Cors();
        cors.setAllowedOrigins(List.of("*"));
        cors.setAllowCredentials(true);
        assertThatIllegalStateException().isThrownBy(cors::toCorsConfiguration)
                .withMessageContaining("ringhttp.server.cors");
        cors.setAllowedOrigins(List.of());
        cors.setAllowedOriginPatterns(List.of("https://*.example"));
        assertThat(cors.toCorsConfiguration().getAllowCredentials()).isTrue();
    }
}
