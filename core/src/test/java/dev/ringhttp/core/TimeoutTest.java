package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.TestServer;
import dev.ringhttp.core.testing.WsFrames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each timeout with a real slow client: it closes with its own reason, and only the slow connection. */
@Timeout(60)
class TimeoutTest {

    private static final ByteBuffer BIG = ByteBuffer.allocateDirect(6 << 20).asReadOnlyBuffer();

    private static TestServer start(ServerConfig.Builder config) {
        return TestServer.start(config.maxConnections(16).maxWsConnections(16).outgoingBufferSize(1 << 20),
                (request, response) -> {
                    if (request.pathEquals("/big")) {
                        response.body(BIG);
                    } else if (request.pathEquals("/ws") && request.isWebSocketUpgrade()) {
                        response.upgradeToWebSocket(0);
                    } else {
                        response.body("ok");
                    }
                }, WebSocketHandler.NONE);
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    @Test
    void aSlowlorisClientGets408AndIsClosedWithRequestTimeout() throws Exception {
        try (TestServer server = start(ServerConfig.builder().requestReadTimeout(Duration.ofMillis(300)));
                RawConnection slow = new RawConnection(server.port());
                RawConnection fast = new RawConnection(server.port())) {
            long start = System.nanoTime();
            slow.send("GET / HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 20 && !server.closes().stream().findAny().isPresent(); i++) {
                try {
                    slow.send("X-Drip-" + i + ": y\r\n");
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(50);
                assertThat(fast.send(get("/")).readResponse().status()).isEqualTo(200);
            }
            assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.REQUEST_TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            RawResponse answer = slow.readResponse();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(fast.send(get("/")).readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void aRequestCompletedWithinTheReadTimeoutIsServedEvenIfSentSlowly() throws Exception {
        try (TestServer server = start(ServerConfig.builder().requestReadTimeout(Duration.ofMillis(1000)));
                RawConnection c = new RawConnection(server.port())) {
            for (String part : new String[] {"GET / HT", "TP/1.1\r\nHo", "st: x\r\n", "\r\n"}) {
                c.send(part);
                Thread.sleep(100);
            }
            assertThat(c.readResponse().bodyText()).isEqualTo("ok");
            assertThat(server.closes()).isEmpty();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedWithIdleTimeoutWhileABusyOneStays() throws Exception {
        try (TestServer server = start(ServerConfig.builder().idleTimeout(Duration.ofMillis(300)));
                RawConnection idle = new RawConnection(server.port());
                RawConnection busy = new RawConnection(server.port())) {
            assertThat(idle.send(get("/")).readResponse().status()).isEqualTo(200);
            long start = System.nanoTime();
            while (server.closes().isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
                assertThat(busy.send(get("/")).readResponse().status()).isEqualTo(200);
                Thread.sleep(50);
            }
            TestServer.Close close = server.nextClose(ConnectionType.HTTP);
            assertThat(close.reason()).isEqualTo(CloseReason.IDLE_TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(idle.isClosedByPeer()).isTrue();
            for (int i = 0; i < 8; i++) {
                Thread.sleep(50);
                assertThat(busy.send(get("/")).readResponse().status()).isEqualTo(200);
            }
            assertThat(server.closes()).isEmpty();
        }
    }

    @Test
    void aConnectionThatNeverSendsAnythingIsClosedWithIdleTimeout() throws Exception {
        try (TestServer server = start(ServerConfig.builder().idleTimeout(Duration.ofMillis(200)));
                RawConnection silent = new RawConnection(server.port())) {
            assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.IDLE_TIMEOUT);
            assertThat(silent.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void aReaderThatStallsOnAStaticBodyIsClosedWithIdleTimeout() throws Exception {
        try (TestServer server = start(ServerConfig.builder().idleTimeout(Duration.ofMillis(300)))) {
            RawConnection stalled = new RawConnection(server.port());
            stalled.socket().setReceiveBufferSize(4096);
            stalled.send(get("/big"));
            assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.IDLE_TIMEOUT);
            assertThat(server.server().counters().active(ConnectionType.HTTP)).isZero();
            stalled.close();
        }
    }

    @Test
    void aSilentWebSocketIsPingedThenClosedWithWsIdleTimeout() throws Exception {
        try (TestServer server = start(ServerConfig.builder().wsIdleTimeout(Duration.ofMillis(600)))) {
            // Measured from before the connection exists, so the client's figure bounds the server's from above.
            long start = System.nanoTime();
            RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws");
            ServerFrame ping = ws.readFrame();
            long pingedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(ping.opcode()).isEqualTo(WsFrames.PING);
            assertThat(pingedAfter).isBetween(290L, 5000L);
            TestServer.Close close = server.nextClose(ConnectionType.WEBSOCKET);
            assertThat(close.reason()).isEqualTo(CloseReason.WS_IDLE_TIMEOUT);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(590L);
            ws.close();
        }
    }

    @Test
    void aWebSocketClientThatAnswersPingsStaysOpen() throws Exception {
        try (TestServer server = start(ServerConfig.builder().wsIdleTimeout(Duration.ofMillis(400)))) {
            // The JDK client answers pings with pongs by itself.
            WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            Thread.sleep(1500);
            assertThat(server.closes()).isEmpty();
            assertThat(server.server().counters().active(ConnectionType.WEBSOCKET)).isEqualTo(1);
            assertThat(server.server().counters().framesRead()).as("pongs answered the pings").isPositive();
            client.abort();
        }
    }

    @Test
    void zeroDisablesEveryTimeout() throws Exception {
        try (TestServer server = start(ServerConfig.builder().requestReadTimeout(Duration.ZERO)
                .idleTimeout(Duration.ZERO).wsIdleTimeout(Duration.ZERO));
                RawConnection idle = new RawConnection(server.port());
                RawConnection partial = new RawConnection(server.port());
                RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws")) {
            partial.send("GET / HTTP/1.1\r\n");
            Thread.sleep(700);
            assertThat(server.closes()).isEmpty();
            assertThat(partial.send("Host: x\r\n\r\n").readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void refusesNegativeTimeoutsNamingTheParameter() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServerConfig.builder()
                .idleTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith("idleTimeout is PT-1S");
    }
}
