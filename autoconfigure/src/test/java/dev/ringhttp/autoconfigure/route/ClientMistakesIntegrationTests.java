package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.testing.LogAssertions;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawWebSocket;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * Client mistakes that once answered 500 and logged a stack trace on the loop thread: an
 * undecodable path (routes, actuator, WebSocket upgrade). Each must be a 400, logged at most at
 * DEBUG, and never counted as a handler error (core counter or route meter).
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = ClientMistakesIntegrationTests.App.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1", "ringhttp.server.max-connections=8",
        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.max-request-size=16KB",
        "ringhttp.server.max-websocket-message-size=4KB", "ringhttp.server.outgoing-buffer-size=1MB",
        "ringhttp.server.shutdown-grace-period=0s",
        "management.endpoints.web.exposure.include=health" })
class ClientMistakesIntegrationTests {

    private static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + RawWebSocket.KEY + "\r\nSec-WebSocket-Version: 13\r\n";

    @LocalRingHttpPort
    int port;

    @Autowired
    RingHttpServer server;

    @Autowired
    MeterRegistry registry;

    private long handlerErrorsBefore;
    private double routeErrorsBefore;

    @BeforeEach
    void rememberErrorCounts() {
        handlerErrorsBefore = server.counters().handlerErrors();
        routeErrorsBefore = routeErrors();
    }

    record Greeting(String name) {
    }

    static class Routes {
        @HttpRoute(path = "/greetings", method = HttpMethod.POST)
        Greeting greet(@RequestBody Greeting greeting) {
            return new Greeting(greeting.name().toUpperCase());
        }

        @HttpRoute("/files/{name}")
        String file(@org.springframework.web.bind.annotation.PathVariable String name) {
            return "file " + name;
        }
    }

    @WsHandler("/ws/{room}")
    static class Rooms implements WsListener {
    }

    @Test
    void undecodablePathOnARouteIs400(CapturedOutput output) throws IOException {
        assertRefusedQuietly(request("GET /files/%zz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 400, output);
    }

    @Test
    void undecodablePathUnderTheActuatorIs400(CapturedOutput output) throws IOException {
        assertRefusedQuietly(request("GET /actuator/%zz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 400, output);
    }

    @Test
    void undecodableWebSocketUpgradePathIs400(CapturedOutput output) throws IOException {
        assertRefusedQuietly(request("GET /ws/%zz HTTP/1.1\r\nHost: t\r\n" + UPGRADE + "\r\n"), 400, output);
    }

    @Test
    void truncatedPercentEncodingIs400(CapturedOutput output) throws IOException {
        assertRefusedQuietly(request("GET /files/a% HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 400, output);
        assertRefusedQuietly(request("GET /files/a%0 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"), 400, output);
    }

    /**
     * The report's 500 came from a route that echoed the Content-Type into a response head too
     * small for it (the sample's {@code /echo}, fixed there). A JSON {@code @RequestBody} does not
     * depend on the Content-Type, so a long one is no error at all; this pins that down.
     */
    @Test
    void oversizedContentTypeOnAJsonRouteIsNoError(CapturedOutput output) throws IOException {
        String body = "{\"name\":\"x\"}";
        String answer = request("POST /greetings HTTP/1.1\r\nHost: t\r\nContent-Type: application/json; x="
                + "a".repeat(5000) + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        assertThat(status(answer)).as(answer).isEqualTo(200);
        assertQuiet(output);
    }

    @Test
    void wellFormedRequestsStillWork() throws IOException {
        String body = "{\"name\":\"x\"}";
        assertThat(request("POST /greetings HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body)).startsWith("HTTP/1.1 200").contains("\"X\"");
        assertThat(request("GET /files/a%20b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200").endsWith("file a b");
    }

    private void assertRefusedQuietly(String answer, int status, CapturedOutput output) {
        assertThat(status(answer)).as(answer).isEqualTo(status);
        assertQuiet(output);
    }

    private void assertQuiet(CapturedOutput output) {
        LogAssertions.assertNoWarningsOrErrors(output);
        assertThat(server.counters().handlerErrors()).as("core handler errors").isEqualTo(handlerErrorsBefore);
        assertThat(routeErrors()).as("route handler errors").isEqualTo(routeErrorsBefore);
    }

    private double routeErrors() {
        return registry.get("ringhttp.handler.errors").tag("source", "route").counter().count();
    }

    private static int status(String answer) {
        assertThat(answer).startsWith("HTTP/1.1 ");
        return Integer.parseInt(answer.substring(9, 12));
    }

    private String request(String raw) throws IOException {
        return RawConnection.requestUntilClose(port, raw);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes() {
            return new Routes();
        }

        @Bean
        Rooms rooms() {
            return new Rooms();
        }
    }
}
