package dev.ringhttp.core.http.it;

import static dev.ringhttp.core.http.it.ItSupport.PATTERN;
import static dev.ringhttp.core.http.it.ItSupport.get;
import static dev.ringhttp.core.http.it.ItSupport.getClose;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.SocketAssertions;
import dev.ringhttp.core.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test per HTTP close reason: each provokes it over a real socket, checks the reason the
 * server reports and, where a status is sent, the status the client reads; then checks that a
 * fresh connection is still served.
 */
class HttpCloseReasonsTest {

    /**
     * A body the kernel cannot take whole from a client that does not read: more than the
     * largest send buffer Linux autotunes to (tcp_wmem max, 4 MiB by default) plus the small
     * receive window of {@link ItSupport#slowReader}. Smaller bodies vanish into the socket at once.
     */
    static final int UNSENDABLE = 6 << 20;

    private static final String UPGRADE = "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";

    /** Path of each served ring body request, by connection id: tells a test its request reached the handler. */
    private final Map<String, Integer> served = new ConcurrentHashMap<>();
    private final BlockingQueue<Integer> bigServed = new LinkedBlockingQueue<>();
    private TestServer server;

    private TestServer start(ServerConfig.Builder config) {
        server = ItSupport.start(config, this::handle);
        return server;
    }

    private TestServer start() {
        return start(ItSupport.smallConfig().maxRequestLength(1024).maxRequestLineLength(128).maxHeaderCount(8));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The handle of each connection id's latest tenant, taken on the loop while it is served. */
    private final java.util.Map<Integer, Long> handles = new java.util.concurrent.ConcurrentHashMap<>();

    private void handle(HttpRequest request, HttpResponse response) {
        if (request.pathEquals("/ring")) {
            int n = ItSupport.queryInt(request.query(), 1000);
            server.server().staging().bytes(PATTERN, 0, n);
            response.stagedBody();
            if (n >= 100_000) {
                bigServed.add(request.connectionId());
            }
        } else if (request.pathEquals("/ws") || request.pathEquals("/not-ws")) {
            response.upgradeToWebSocket(0);
        } else {
            response.body("id=" + request.connectionId());
        }
        served.put(request.path(), request.connectionId());
        handles.put(request.connectionId(), server.server().httpConnectionHandle(request.connectionId()));
    }

    private static int idOf(RawResponse r) {
        return Integer.parseInt(r.bodyText().substring(3));
    }

    private CloseReason nextReason() throws InterruptedException {
        return server.nextClose(ConnectionType.HTTP).reason();
    }

    /** Sends {@code request}, expects {@code status} with Connection: close, then the close, then {@code reason}. */
    private void expectRefused(String request, CloseReason reason) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawResponse r = c.send(request).readResponse();
            assertThat(r.status()).isEqualTo(reason.httpStatus());
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(nextReason()).isEqualTo(reason);
        ItSupport.assertStillServes(server);
    }

    // ---- normal closes ----

    @Test
    void ok() throws Exception {
        start();
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send(get("/a")).readResponse().status()).isEqualTo(200);
            RawResponse r = c.send(getClose("/b")).readResponse();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(nextReason()).isEqualTo(CloseReason.OK);
        ItSupport.assertStillServes(server);
    }

    @Test
    void expectedEof() throws Exception {
        start();
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send(get("/a")).readResponse().status()).isEqualTo(200);
        }
        assertThat(nextReason()).isEqualTo(CloseReason.EXPECTED_EOF);
        ItSupport.assertStillServes(server);
    }

    @Test
    void unexpectedEof() throws Exception {
        start();
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send(get("/a")).readResponse().status()).isEqualTo(200);
            c.send("GET /b HTTP/1.1\r\nHo");
            c.socket().shutdownOutput();
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(nextReason()).isEqualTo(CloseReason.UNEXPECTED_EOF);
        ItSupport.assertStillServes(server);
    }

    @Test
    void peerResetSeenOnRead() throws Exception {
        start();
        RawConnection c = new RawConnection(server.port());
        assertThat(c.send(get("/a")).readResponse().status()).isEqualTo(200);
        c.send("GET /b HTTP/1.1\r\nHost: t\r\n");
        c.socket().setSoLinger(true, 0);
        c.close();
        assertThat(nextReason()).isEqualTo(CloseReason.PEER_RESET);
        ItSupport.assertStillServes(server);
    }

    @Test
    void peerResetSeenOnWrite() throws Exception {
        start(ItSupport.smallConfig().outgoingBufferSize(8 << 20));
        RawConnection slow = RawConnection.withReceiveBuffer(server.port(), 4096);
        slow.send(get("/ring?n=" + UNSENDABLE));
        bigServed.poll(10, TimeUnit.SECONDS);
        Thread.sleep(20); // let the server fill the socket and wait for write readiness
        // The body is still being written: the reset will be seen by a write, not a read.
        assertThat(server.server().counters().bytesWritten()).isLessThan(UNSENDABLE);
        slow.reset();
        assertThat(nextReason()).isEqualTo(CloseReason.PEER_RESET);
        ItSupport.assertStillServes(server);
    }

    // ---- capacity ----

    @Test
    void evictedRoundRobinWhenNoRingBodyIsPending() throws Exception {
        start(ItSupport.smallConfig().maxConnections(2));
        try (RawConnection a = new RawConnection(server.port()); RawConnection b = new RawConnection(server.port())) {
            int idA = idOf(a.send(get("/a")).readResponse());
            int idB = idOf(b.send(get("/b")).readResponse());
            assertThat(idA).isNotEqualTo(idB);
            try (RawConnection c = new RawConnection(server.port())) {
                TestServer.Close first = server.nextClose(ConnectionType.HTTP);
                assertThat(first.reason()).isEqualTo(CloseReason.EVICTED);
                RawConnection firstVictim = first.id() == idA ? a : b;
                RawConnection survivor = first.id() == idA ? b : a;
                assertThat(firstVictim.isClosedByPeer()).isTrue();
                int idC = idOf(c.send(get("/c")).readResponse());
                assertThat(idC).isEqualTo(first.id());
                // Round-robin moves on: the next eviction takes the other slot, not the newcomer's.
                try (RawConnection d = new RawConnection(server.port())) {
                    TestServer.Close second = server.nextClose(ConnectionType.HTTP);
                    assertThat(second.reason()).isEqualTo(CloseReason.EVICTED);
                    assertThat(second.id()).isNotEqualTo(first.id());
                    assertThat(survivor.isClosedByPeer()).isTrue();
                    assertThat(idOf(d.send(get("/d")).readResponse())).isEqualTo(second.id());
                    assertThat(idOf(c.send(get("/c")).readResponse())).isEqualTo(idC);
                }
            }
        }
    }

    @Test
    void evictedIsTheConnectionWithTheOldestPendingRingBody() throws Exception {
        start(ItSupport.smallConfig().maxConnections(3).outgoingBufferSize(16 << 20));
        try (RawConnection idle = new RawConnection(server.port());
                RawConnection older = RawConnection.withReceiveBuffer(server.port(), 4096);
                RawConnection newer = RawConnection.withReceiveBuffer(server.port(), 4096)) {
            int idleId = idOf(idle.send(get("/idle")).readResponse());
            older.send(get("/ring?n=" + UNSENDABLE));
            int olderId = bigServed.poll(10, TimeUnit.SECONDS);
            newer.send(get("/ring?n=" + UNSENDABLE));
            int newerId = bigServed.poll(10, TimeUnit.SECONDS);
            try (RawConnection fourth = new RawConnection(server.port())) {
                TestServer.Close close = server.nextClose(ConnectionType.HTTP);
                assertThat(close.reason()).isEqualTo(CloseReason.EVICTED);
                assertThat(close.id()).isEqualTo(olderId).isNotEqualTo(newerId).isNotEqualTo(idleId);
                assertThat(idOf(fourth.send(get("/x")).readResponse())).isEqualTo(olderId);
                assertThat(idOf(idle.send(get("/idle")).readResponse())).isEqualTo(idleId);
                // Only one was evicted: the newer pending body is still being written.
                assertThat(server.closes()).isEmpty();
            }
        }
    }

    @Test
    void tooSlow() throws Exception {
        start(ItSupport.smallConfig().outgoingBufferSize(8 << 20));
        try (RawConnection slow = RawConnection.withReceiveBuffer(server.port(), 4096);
                RawConnection reader = new RawConnection(server.port())) {
            int big = UNSENDABLE;
            slow.send(get("/ring?n=" + big));
            int slowId = bigServed.poll(10, TimeUnit.SECONDS);
            // Ring 8 MiB, slow body at [0, 6 MiB): the second chunk wraps to 8 MiB and overwrites [0, 1.5 MiB).
            int chunk = 3 << 19;
            for (int i = 0; i < 2; i++) {
                RawResponse r = reader.send(get("/ring?n=" + chunk)).readResponse();
                assertThat(Arrays.equals(r.body(), ItSupport.pattern(chunk))).as("reader's body " + i).isTrue();
                bigServed.poll(10, TimeUnit.SECONDS);
            }
            TestServer.Close close = server.nextClose(ConnectionType.HTTP);
            assertThat(close.reason()).isEqualTo(CloseReason.TOO_SLOW);
            assertThat(close.id()).isEqualTo(slowId);
            // The slow client is reset: it reads what its own receive buffer held, not the rest of the response.
            SocketAssertions.assertResetAfterSmallRead(slow.socket());
            assertThat(reader.send(get("/after")).readResponse().status()).isEqualTo(200);
        }
        assertThat(nextReason()).isEqualTo(CloseReason.EXPECTED_EOF);
        ItSupport.assertStillServes(server);
    }

    // ---- refused requests ----

    @Test
    void largeRequest() throws Exception {
        start(ItSupport.smallConfig().maxRequestLength(1024).maxRequestBodyLength(4096));
        expectRefused("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 4097\r\n\r\n", CloseReason.LARGE_REQUEST);
    }

    @Test
    void bodyBuffersBusy() throws Exception {
        start(ItSupport.smallConfig().maxRequestLength(1024).largeBodyBuffers(1));
        try (RawConnection holder = new RawConnection(server.port())) {
            // Its body is awaited in the one large-body buffer, which it holds meanwhile.
            holder.send("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n");
            Await.until(() -> server.server().counters().largeBodyBuffersInUse() == 1, "the large-body buffer lent");
            expectRefused("POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n", CloseReason.BODY_BUFFERS_BUSY);
        }
        assertThat(nextReason()).isEqualTo(CloseReason.UNEXPECTED_EOF);
    }

    @Test
    void badRequest() throws Exception {
        start();
        expectRefused("GET /a HTTP/1.1\r\nHost : t\r\n\r\n", CloseReason.BAD_REQUEST);
    }

    @Test
    void headersTooLarge() throws Exception {
        start();
        StringBuilder r = new StringBuilder("GET /a HTTP/1.1\r\nHost: t\r\n");
        for (int i = 0; i < 8; i++) {
            r.append("X-").append(i).append(": v\r\n");
        }
        expectRefused(r.append("\r\n").toString(), CloseReason.HEADERS_TOO_LARGE);
    }

    @Test
    void missingContentLength() throws Exception {
        start();
        expectRefused("POST /a HTTP/1.1\r\nHost: t\r\n\r\n", CloseReason.MISSING_CONTENT_LENGTH_HEADER);
    }

    @Test
    void unknownMethod() throws Exception {
        start();
        expectRefused("BREW /pot HTTP/1.1\r\nHost: t\r\n\r\n", CloseReason.UNKNOWN_METHOD);
    }

    @Test
    void pathTooLong() throws Exception {
        start();
        expectRefused("GET /" + "a".repeat(200) + " HTTP/1.1\r\nHost: t\r\n\r\n", CloseReason.PATH_TOO_LONG);
    }

    @Test
    void unsupportedHttpVersion() throws Exception {
        start();
        expectRefused("GET /a HTTP/2.0\r\nHost: t\r\n\r\n", CloseReason.UNSUPPORTED_HTTP_VERSION);
    }

    @Test
    void unsupportedTransferEncoding() throws Exception {
        start();
        expectRefused("POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n",
                CloseReason.UNSUPPORTED_TRANSFER_ENCODING);
    }

    @Test
    void wsBadKey() throws Exception {
        start();
        expectRefused(UPGRADE + "Sec-WebSocket-Key: tooshort==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                CloseReason.WS_BAD_KEY);
    }

    @Test
    void wsUnexpectedVersion() throws Exception {
        start();
        try (RawConnection c = new RawConnection(server.port())) {
            RawResponse r = c.send(UPGRADE + "Sec-WebSocket-Key: " + RawWebSocket.KEY + "\r\nSec-WebSocket-Version: 8\r\n\r\n")
                    .readResponse();
            assertThat(r.status()).isEqualTo(426);
            assertThat(r.header("Sec-WebSocket-Version")).isEqualTo("13");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(nextReason()).isEqualTo(CloseReason.WS_UNEXPECTED_VERSION);
        ItSupport.assertStillServes(server);
    }

    @Test
    void wsMissingKeyHeader() throws Exception {
        start();
        expectRefused(UPGRADE + "Sec-WebSocket-Version: 13\r\n\r\n", CloseReason.WS_MISSING_KEY_HEADER);
    }

    @Test
    void wsMissingVersionHeader() throws Exception {
        start();
        expectRefused(UPGRADE + "Sec-WebSocket-Key: " + RawWebSocket.KEY + "\r\n\r\n", CloseReason.WS_MISSING_VERSION_HEADER);
    }

    @Test
    void wsMissingUpgrade() throws Exception {
        start();
        expectRefused(get("/not-ws"), CloseReason.WS_MISSING_UPGRADE);
        assertThat(served).containsKey("/not-ws");
    }

    @Test
    void wsEarlyData() throws Exception {
        start();
        // A masked text frame "hi" in the same write as the upgrade request.
        byte[] frame = {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2};
        String request = UPGRADE + "Sec-WebSocket-Key: " + RawWebSocket.KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        byte[] head = request.getBytes(StandardCharsets.US_ASCII);
        byte[] both = Arrays.copyOf(head, head.length + frame.length);
        System.arraycopy(frame, 0, both, head.length, frame.length);
        try (RawConnection c = new RawConnection(server.port())) {
            RawResponse r = c.send(both).readResponse(true);
            assertThat(r.status()).isEqualTo(101);
            assertThat(r.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(nextReason()).isEqualTo(CloseReason.WS_EARLY_DATA);
        assertThat(server.server().counters().toString()).isNotEmpty();
        ItSupport.assertStillServes(server);
    }

    // ---- closes by the application and the server ----

    @Test
    void closedByApplication() throws Exception {
        start();
        try (RawConnection c = new RawConnection(server.port())) {
            int id = idOf(c.send(get("/a")).readResponse());
            server.server().closeHttpConnection(handles.get(id));
            TestServer.Close close = server.nextClose(ConnectionType.HTTP);
            assertThat(close.reason()).isEqualTo(CloseReason.CLOSED_BY_APPLICATION);
            assertThat(close.id()).isEqualTo(id);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        ItSupport.assertStillServes(server);
    }

    @Test
    void serverShutdown() throws Exception {
        start();
        try (RawConnection c = new RawConnection(server.port())) {
            int id = idOf(c.send(get("/a")).readResponse());
            server.server().shutdown(Duration.ofSeconds(2));
            TestServer.Close close = server.nextClose(ConnectionType.HTTP);
            assertThat(close.reason()).isEqualTo(CloseReason.SERVER_SHUTDOWN);
            assertThat(close.id()).isEqualTo(id);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.server().isRunning()).isFalse();
    }
}
