package dev.ringhttp.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawWebSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sample's fixed routes and WebSocket endpoints over real sockets. */
@SampleAppTest
class SampleApplicationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Value("${sample.chat.token}")
    String chatToken;

    @Autowired
    TestRestTemplate testRestTemplate;

    /** Shared by the tests: HttpClient has no close() before Java 21. */
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    @Test
    void helloAnswersPlainText() throws Exception {
        HttpResponse<String> response = get("/hello");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello, World!");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void bootsTestRestTemplateReachesTheSample() {
        ResponseEntity<String> response = testRestTemplate.getForEntity("/hello", String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).isEqualTo("Hello, World!");
    }

    @Test
    void dashboardIsHtml() throws Exception {
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(response.body()).contains("<canvas", "/ws/live", "/ws/chat");
    }

    @Test
    void dashboardIsAStaticResourceThatBrowsersRevalidate() throws Exception {
        HttpResponse<String> first = get("/index.html");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        assertThat(first.body()).isEqualTo(get("/").body());
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
        HttpResponse<String> again = client.send(HttpRequest.newBuilder(uri("/"))
                .header("If-None-Match", etag).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void echoAnswersTheBodyWithItsContentType() throws Exception {
        String body = "{\"greeting\":\"grüß dich\"}";
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/echo"))
                .header("Content-Type", "application/vnd.sample+json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.sample+json; charset=utf-8");
    }

    @Test
    void echoWithoutContentTypeAnswersOctetStream() throws Exception {
        byte[] body = {0, 1, 2, (byte) 0xff};
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.body()).containsExactly(body);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void actuatorIsServedByRinghttpOnItsOwnPort() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode healthJson = JSON.readTree(health.body());
        assertThat(healthJson.path("status").asString()).isEqualTo("UP");

        get("/hello");
        HttpResponse<String> prometheus = get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body())
                .contains("ringhttp_connections_closed_total{reason=\"BAD_REQUEST\",type=\"http\"}")
                .contains("ringhttp_requests_seconds_count{method=\"GET\",route=\"/hello\",status=\"200\"}");

        JsonNode ringhttp = JSON.readTree(get("/actuator/ringhttp").body());
        assertThat(ringhttp.toString()).contains("maxConnections", "connections");
    }

    @Test
    void echoRefusesGetWith405() throws Exception {
        HttpResponse<String> response = get("/echo");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
    }

    @Test
    void statsAreJsonCounters() throws Exception {
        get("/hello");
        HttpResponse<String> response = get("/api/stats");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode stats = JSON.readTree(response.body());
        assertThat(stats.get("requests").asLong()).isPositive();
        assertThat(stats.get("activeHttp").asLong()).isPositive();
        assertThat(stats.get("bytesRead").asLong()).isPositive();
        assertThat(stats.get("closes").isArray()).isTrue();
        assertThat(stats.get("limits").get("maxConnections").asInt()).isEqualTo(64);
        assertThat(stats.get("limits").get("outgoingBufferSize").asInt()).isEqualTo(1024 * 1024);
    }

    @Test
    void wsEchoReturnsTextAndBinaryUnchanged() throws Exception {
        try (JdkWebSocket ws = JdkWebSocket.connect(port, "/ws/echo")) {
            ws.sendText("héllo, ring ✓");
            assertThat(ws.nextText()).isEqualTo("héllo, ring ✓");

            byte[] binary = new byte[3000];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) (i * 31);
            }
            ws.sendBinary(binary);
            assertThat(ws.nextBinary()).containsExactly(binary);

            ws.sendText("");
            assertThat(ws.nextText()).isEqualTo("");
        }
    }

    @Test
    void chatMessagesReachEveryone() throws Exception {
        try (JdkWebSocket alice = JdkWebSocket.connect(port, "/ws/chat?token=" + chatToken);
                JdkWebSocket bob = JdkWebSocket.connect(port, "/ws/chat")) {
            alice.sendText("hello, everyone");

            for (JdkWebSocket receiver : new JdkWebSocket[] {alice, bob}) {
                JsonNode message = JSON.readTree(receiver.nextText());
                assertThat(message.get("text").asString()).isEqualTo("hello, everyone");
                assertThat(message.get("from").asString()).startsWith("guest-");
                assertThat(message.get("time").asLong()).isPositive();
            }
        }
    }

    @Test
    void chatReadersCannotPostAndAWrongTokenIsRefused() throws Exception {
        try (JdkWebSocket reader = JdkWebSocket.connect(port, "/ws/chat")) {
            reader.sendText("may I?");
            JsonNode notice = JSON.readTree(reader.nextText());
            assertThat(notice.get("from").asString()).isEqualTo("server");
            assertThat(notice.get("text").asString()).startsWith("Read-only");
        }
        try (RawConnection c = new RawConnection(port)) {
            c.send(RawWebSocket.handshakeRequest("/ws/chat?token=guess", ""));
            assertThat(c.readResponse().status()).isEqualTo(403);
        }
    }

    @Test
    void aWebSocketFromAForeignPageIsRefused() throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            c.send(RawWebSocket.handshakeRequest("/ws/echo", "Origin: https://evil.example\r\n"));
            assertThat(c.readResponse().status()).isEqualTo(403);
        }
    }

    @Test
    void liveFeedDeliversCounters() throws Exception {
        try (JdkWebSocket live = JdkWebSocket.connect(port, "/ws/live")) {
            JsonNode first = JSON.readTree(live.nextText());   // sent on open
            JsonNode second = JSON.readTree(live.nextText());  // the scheduled broadcast

            assertThat(first.get("activeWebSocket").asLong()).isPositive();
            assertThat(second.get("time").asLong()).isGreaterThanOrEqualTo(first.get("time").asLong());
            assertThat(second.get("broadcasts").asLong()).isPositive();
            assertThat(second.get("upgrades").asLong()).isPositive();
        }
    }
}
