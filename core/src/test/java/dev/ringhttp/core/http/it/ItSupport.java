package dev.ringhttp.core.http.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.TestServer;
import java.util.Arrays;

/** Shared helpers of the end-to-end HTTP tests: small configurations, request texts, body patterns. */
final class ItSupport {

    /** Bytes {@code i % 251}: a pattern whose every window is recognisable, so misplaced bytes show. */
    static final byte[] PATTERN = new byte[8 << 20];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) (i % 251);
        }
    }

    private ItSupport() {
    }

    /** A small server: little memory, quick to build. */
    static ServerConfig.Builder smallConfig() {
        return ServerConfig.builder()
                .maxConnections(16)
                .maxWsConnections(4)
                .maxRequestLength(4096)
                .maxRequestLineLength(512)
                .maxHeaderCount(16)
                .maxWsMessageLength(4096)
                .outgoingBufferSize(1 << 20);
    }

    static TestServer start(ServerConfig.Builder config, HttpHandler handler) {
        return TestServer.start(config, handler, WebSocketHandler.NONE);
    }

    static byte[] pattern(int n) {
        return Arrays.copyOf(PATTERN, n);
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    static String getClose(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
    }

    static String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Whether {@code n} is the number in query {@code n=...}, else {@code fallback}. */
    static int queryInt(String query, int fallback) {
        if (query == null || !query.startsWith("n=")) {
            return fallback;
        }
        return Integer.parseInt(query.substring(2));
    }

    /**
     * Proves the loop survived: a fresh connection gets {@code GET /ok} answered 200 with
     * {@code Connection: close}, and its close is reported {@code OK} (consuming that report).
     */
    static void assertStillServes(TestServer server) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(getClose("/ok"));
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.OK);
    }
}
