package dev.ringhttp.autoconfigure.actuate;

import static dev.ringhttp.autoconfigure.actuate.ActuatorTestApplication.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Actuator endpoints served by the ringhttp server itself, over real sockets. */
@ActuatorIntegrationTest
class ActuatorRouteContributorIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalRingHttpPort
    int port;

    @Test
    void healthIsUpWithTheRingHttpComponent() throws Exception {
        HttpResponse<String> response = get(port, "/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("application/vnd.spring-boot.actuator.v3+json");
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode ringhttp = health.path("components").path("ringhttp");
        assertThat(ringhttp.path("status").asString()).isEqualTo("UP");
        assertThat(ringhttp.path("details").path("address").asString()).isEqualTo("127.0.0.1:" + port);
        assertThat(ringhttp.path("details").has("httpConnections")).isTrue();
    }

    @Test
    void healthOfOneComponentAndContentNegotiation() throws Exception {
        HttpResponse<String> response = get(port, "/actuator/health/ringhttp", "Accept", "application/json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JSON.readTree(response.body()).path("status").asString()).isEqualTo("UP");
        assertThat(get(port, "/actuator/health/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void prometheusScrapeIsText() throws Exception {
        get(port, "/hello/prom");
        HttpResponse<String> response = get(port, "/actuator/prometheus", "Accept", "text/plain");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .contains("ringhttp_connections_closed_total{reason=\"BAD_REQUEST\",type=\"http\"}")
                .contains("ringhttp_connections_active{type=\"http\"}")
                .contains("ringhttp_requests_seconds_count{method=\"GET\",route=\"/hello/{name}\",status=\"200\"}");
    }

    @Test
    void prometheusScrapeNegotiatesOpenMetrics() throws Exception {
        HttpResponse<String> response = get(port, "/actuator/prometheus", "Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/openmetrics-text"));
        assertThat(response.body()).contains("# EOF");
    }

    @Test
    void ringhttpEndpointDescribesConfigurationCountersAndConnections() throws Exception {
        HttpResponse<String> response = get(port, "/actuator/ringhttp");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("running").asBoolean()).isTrue();
        assertThat(body.path("configuration").path("maxConnections").asInt()).isEqualTo(8);
        assertThat(body.path("configuration").path("outgoingBufferSize").asInt()).isEqualTo(1024 * 1024);
        assertThat(body.path("configuration").path("footprintBytes").asLong()).isPositive();
        assertThat(body.path("configuration").path("socketSendBuffer").asInt()).isEqualTo(256 * 1024);
        assertThat(body.path("configuration").path("eventLoops").asInt()).isEqualTo(1);
        // Kernel memory, reported apart from the JVM's footprint: 8 + 2 connections, each up to what the OS grants.
        assertThat(body.path("configuration").path("kernelSendBufferLimitBytes").asLong())
                .isPositive().isLessThanOrEqualTo(10L * 2 * 256 * 1024);
        assertThat(body.path("counters").path("accepted").asLong()).isPositive();
        assertThat(body.path("counters").path("closes").has("http")).isTrue();
        JsonNode connections = body.path("connections");
        assertThat(connections.isArray()).isTrue();
        assertThat(connections.size()).isPositive(); // at least the connection asking
        assertThat(connections.get(0).path("type").asString()).isEqualTo("http");
        assertThat(connections.get(0).path("remoteAddress").asString()).startsWith("127.0.0.1:");
        assertThat(connections.get(0).has("pendingBytes")).isTrue();
    }

    @Test
    void metricsEndpointShowsTheRequestTimer() throws Exception {
        assertThat(get(port, "/hello/metrics").body()).isEqualTo("Hello metrics");
        HttpResponse<String> response = get(port, "/actuator/metrics/ringhttp.requests?tag=route:/hello/%7Bname%7D");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("name").asString()).isEqualTo("ringhttp.requests");
        assertThat(body.path("availableTags").toString()).contains("method", "status");
        assertThat(get(port, "/actuator/metrics/ringhttp.nope").statusCode()).isEqualTo(404);
    }

    @Test
    void linksAtTheBasePath() throws Exception {
        HttpResponse<String> response = get(port, "/actuator");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode links = JSON.readTree(response.body()).path("_links");
        assertThat(links.path("self").path("href").asString()).isEqualTo("http://127.0.0.1:" + port + "/actuator");
        assertThat(links.path("health").path("href").asString()).endsWith("/actuator/health");
        assertThat(links.has("ringhttp")).isTrue();
        assertThat(links.has("prometheus")).isTrue();
    }

    @Test
    void unknownPathsAndMethodsUnderTheBasePath() throws Exception {
        assertThat(get(port, "/actuator/nope").statusCode()).isEqualTo(404);
        assertThat(get(port, "/actuatorx").statusCode()).isEqualTo(404);
        HttpResponse<String> post = ActuatorTestApplication.send(port, "POST", "/actuator/health");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void applicationRoutesStillAnswer() throws Exception {
        assertThat(get(port, "/hello/world").body()).isEqualTo("Hello world");
    }
}
