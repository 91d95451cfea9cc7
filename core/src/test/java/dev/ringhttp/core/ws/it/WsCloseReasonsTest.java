package dev.ringhttp.core.ws.it;

import static dev.ringhttp.core.testing.WsFrames.BINARY;
import static dev.ringhttp.core.testing.WsFrames.CLOSE;
import static dev.ringhttp.core.testing.WsFrames.CONTINUATION;
import static dev.ringhttp.core.testing.WsFrames.FIN;
import static dev.ringhttp.core.testing.WsFrames.PING;
import static dev.ringhttp.core.testing.WsFrames.PONG;
import static dev.ringhttp.core.testing.WsFrames.TEXT;
import static dev.ringhttp.core.testing.WsFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.TestServer;
import dev.ringhttp.core.testing.WsFrames;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One test per WebSocket close reason, provoked over a raw socket: the reason the server
 * reports, and the status code of the close frame the client reads. After every protocol
 * error a new client is still served.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WsCloseReasonsTest {

    static final int MAX = 64 * 1024;

    WsHarness h;

    @BeforeEach
    void start() {
        h = WsHarness.start(WsHarness.small());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private RawWebSocket open() throws IOException {
        return RawWebSocket.connect(h.port(), "/ws/0");
    }

    /** A client whose small receive window fills at once. */
    private RawWebSocket openSlowReader() throws IOException {
        return RawWebSocket.to(h.port(), "/ws/0").receiveBuffer(4096).connect();
    }

    /** Sends {@code bytes} on a fresh connection; checks the close code read, the reason reported and EOF. */
    private void provoke(CloseReason expected, int code, byte[]... writes) throws Exception {
        try (RawWebSocket c = open()) {
            int id = h.nextOpen();
            for (byte[] w : writes) {
                c.send(w);
            }
            ServerFrame close = c.readClose();
            assertThat(close.closeCode()).isEqualTo(code);
            assertThat(close.payload()).hasSize(2);
            assertThat(h.nextWsClose()).isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, id, expected));
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertStillServed();
    }

    /** A new client gets an echo and a clean close. */
    private void assertStillServed() throws Exception {
        try (RawWebSocket c = open()) {
            int id = h.nextOpen();
            c.send(frame(FIN | TEXT, "still served"));
            ServerFrame echo = c.readFrame();
            assertThat(echo.opcode()).isEqualTo(TEXT);
            assertThat(echo.text()).isEqualTo("still served");
            c.send(frame(FIN | CLOSE, WsFrames.closePayload(1000, "")));
            assertThat(c.readFrame().closeCode()).isEqualTo(1000);
            assertThat(h.nextWsClose()).isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.OK));
        }
    }

    @Test
    void unmaskedFrame() throws Exception {
        provoke(CloseReason.WS_BAD_MASK, 1002, WsFrames.unmasked(FIN | TEXT, "hi".getBytes()));
    }

    @Test
    void reservedBits() throws Exception {
        provoke(CloseReason.WS_RESERVED_BITS, 1002, frame(FIN | WsFrames.RSV1 | TEXT, "hi"));
    }

    @Test
    void unknownOpcode() throws Exception {
        provoke(CloseReason.WS_UNKNOWN_OPCODE, 1002, frame(FIN | 0x3, "hi"));
        provoke(CloseReason.WS_UNKNOWN_OPCODE, 1002, frame(FIN | 0xB, "hi"));
    }

    @Test
    void oversizeFrameFailsOnItsHeader() throws Exception {
        // only the header and masking key: the server must not wait for the payload
        provoke(CloseReason.WS_OVERSIZE_FRAME, 1009, WsFrames.raw(FIN | BINARY, MAX + 1, new byte[0], true));
    }

    @Test
    void oversizeAcrossFragments() throws Exception {
        provoke(CloseReason.WS_OVERSIZE_FRAME, 1009, frame(TEXT, "a".repeat(MAX - 10)),
                WsFrames.raw(FIN | CONTINUATION, 11, new byte[0], true));
    }

    @Test
    void newDataFrameInsideFragmentedMessage() throws Exception {
        provoke(CloseReason.WS_EXPECTED_CONT_OPCODE, 1002, frame(TEXT, "part"), frame(FIN | BINARY, "x"));
    }

    @Test
    void continuationWithoutMessage() throws Exception {
        provoke(CloseReason.WS_EXPECTED_TEXT_OPCODE, 1002, frame(FIN | CONTINUATION, "x"));
    }

    @Test
    void controlFrameTooLarge() throws Exception {
        provoke(CloseReason.WS_CONTROL_FRAME_TOO_LARGE, 1002, frame(FIN | PING, new byte[126]));
    }

    @Test
    void fragmentedControlFrame() throws Exception {
        provoke(CloseReason.WS_FRAGMENTED_CONTROL_FRAME, 1002, frame(PING, "p"));
    }

    @Test
    void invalidUtf8() throws Exception {
        provoke(CloseReason.WS_INVALID_UTF8, 1007, frame(FIN | TEXT, new byte[] {'o', 'k', (byte) 0xC3, 0x28}));
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsFailsBeforeTheMessageEnds() throws Exception {
        // "ab" and the first two bytes of a three-byte sequence: valid so far
        byte[] first = frame(TEXT, new byte[] {'a', 'b', (byte) 0xE2, (byte) 0x82});
        // a continuation that is not final, whose first byte breaks the sequence
        byte[] second = frame(CONTINUATION, new byte[] {0x28, 'c'});
        provoke(CloseReason.WS_INVALID_UTF8, 1007, first, second);
    }

    @Test
    void validUtf8SplitAcrossFragmentsIsAccepted() throws Exception {
        try (RawWebSocket c = open()) {
            h.nextOpen();
            c.send(frame(TEXT, new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
            c.send(frame(FIN | CONTINUATION, new byte[] {(byte) 0xAC}));
            assertThat(c.readFrame().text()).isEqualTo("a\u20ac");
        }
        assertThat(h.nextWsClose().reason()).isEqualTo(CloseReason.UNEXPECTED_EOF);
    }

    @Test
    void invalidUtf8InCloseReason() throws Exception {
        byte[] payload = WsFrames.concat(WsFrames.closePayload(1000, ""), new byte[] {(byte) 0xFF});
        provoke(CloseReason.WS_INVALID_UTF8, 1007, frame(FIN | CLOSE, payload));
    }

    @Test
    void oneByteClosePayload() throws Exception {
        provoke(CloseReason.WS_BAD_CLOSE_FRAME, 1002, frame(FIN | CLOSE, new byte[] {3}));
    }

    @Test
    void closeCode1005MayNotBeSent() throws Exception {
        provoke(CloseReason.WS_BAD_CLOSE_FRAME, 1002, frame(FIN | CLOSE, WsFrames.closePayload(1005, "")));
        provoke(CloseReason.WS_BAD_CLOSE_FRAME, 1002, frame(FIN | CLOSE, WsFrames.closePayload(999, "")));
    }

    @Test
    void handlerThrows() throws Exception {
        provoke(CloseReason.HANDLER_ERROR, 1011, frame(FIN | TEXT, "throw"));
        assertThat(h.server.counters().handlerErrors()).isEqualTo(1);
    }

    @Test
    void clientCloseHandshake() throws Exception {
        try (RawWebSocket c = open()) {
            int id = h.nextOpen();
            c.send(frame(FIN | CLOSE, WsFrames.closePayload(1000, "bye")));
            assertThat(c.readFrame().closeCode()).isEqualTo(1000);
            assertThat(c.isClosedByPeer()).isTrue();
            assertThat(h.nextWsClose()).isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.OK));
        }
        // an empty close frame is answered with 1000
        try (RawWebSocket c = open()) {
            int id = h.nextOpen();
            c.send(frame(FIN | CLOSE, new byte[0]));
            assertThat(c.readFrame().closeCode()).isEqualTo(1000);
            assertThat(h.nextWsClose()).isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.OK));
        }
        // an application code is echoed
        try (RawWebSocket c = open()) {
            h.nextOpen();
            c.send(frame(FIN | CLOSE, WsFrames.closePayload(4001, "app")));
            assertThat(c.readFrame().closeCode()).isEqualTo(4001);
            assertThat(h.nextWsClose().reason()).isEqualTo(CloseReason.OK);
        }
    }

    @Test
    void eofWithoutCloseFrame() throws Exception {
        int id;
        try (RawWebSocket c = open()) {
            id = h.nextOpen();
            c.send(frame(TEXT, "half a message"));
        }
        assertThat(h.nextWsClose()).isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.UNEXPECTED_EOF));
        assertStillServed();
    }

    @Test
    void peerReset() throws Exception {
        RawWebSocket c = open();
        int id = h.nextOpen();
        c.socket().setSoLinger(true, 0);
        c.close();
        assertThat(h.nextWsClose()).isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.PEER_RESET));
        assertStillServed();
    }

    @Test
    void evictedRoundRobinWhenNothingIsPending() throws Exception {
        h.close();
        h = WsHarness.start(WsHarness.small().maxWsConnections(2));
        try (RawWebSocket a = open(); RawWebSocket b = open()) {
            int idA = h.nextOpen();
            int idB = h.nextOpen();
            try (RawWebSocket c = open()) {
                int idC = h.nextOpen();
                TestServer.Close first = h.nextWsClose();
                assertThat(first.reason()).isEqualTo(CloseReason.EVICTED);
                assertThat(first.id()).isIn(idA, idB);
                assertThat(idC).isEqualTo(first.id());
                RawWebSocket evicted = first.id() == idA ? a : b;
                assertThat(evicted.isClosedByPeer()).isTrue();
                try (RawWebSocket d = open()) {
                    int idD = h.nextOpen();
                    TestServer.Close second = h.nextWsClose();
                    assertThat(second.reason()).isEqualTo(CloseReason.EVICTED);
                    // round robin: the other of the first two goes next
                    assertThat(second.id()).isEqualTo(first.id() == idA ? idB : idA);
                    assertThat(idD).isEqualTo(second.id());
                    c.send(frame(FIN | TEXT, "c"));
                    assertThat(c.readFrame().text()).isEqualTo("c");
                    d.send(frame(FIN | TEXT, "d"));
                    assertThat(d.readFrame().text()).isEqualTo("d");
                }
            }
        }
    }

    @Test
    void evictedOldestPendingFirst() throws Exception {
        h.close();
        h = WsHarness.start(WsHarness.small().maxWsConnections(2).outgoingBufferSize(16 << 20));
        try (RawWebSocket fresh = open(); RawWebSocket stuck = openSlowReader()) {
            int idFresh = h.nextOpen();
            int idStuck = h.nextOpen();
            byte[] mb = new byte[1 << 20];
            for (int i = 0; i < 8; i++) {
                h.server.send(h.handle(idStuck), mb, false);
            }
            // 8 MiB cannot all fit the socket buffers (at most 4 MiB send + a small receive window)
            assertThat(Await.holds(() -> h.server.counters().ringBytesStaged() >= 8L << 20, 5_000)).isTrue();
            Thread.sleep(200);
            assertThat(h.server.counters().framesWritten()).isLessThan(8);
            try (RawWebSocket c = open()) {
                h.nextOpen();
                assertThat(h.nextWsClose()).isEqualTo(
                        new TestServer.Close(ConnectionType.WEBSOCKET, idStuck, CloseReason.EVICTED));
                fresh.send(frame(FIN | TEXT, "fresh"));
                assertThat(fresh.readFrame().text()).isEqualTo("fresh");
                c.send(frame(FIN | TEXT, "new"));
                assertThat(c.readFrame().text()).isEqualTo("new");
            }
        }
    }

    @Test
    void clientTooSlow() throws Exception {
        h.close();
        h = WsHarness.start(WsHarness.small().maxWsSendFrames(4).outgoingBufferSize(16 << 20));
        try (RawWebSocket stuck = openSlowReader()) {
            int id = h.nextOpen();
            byte[] mb = new byte[1 << 20];
            for (int i = 0; i < 12 && h.test.closes().isEmpty(); i++) {
                h.server.send(h.handle(id), mb, false);
                Thread.sleep(20);
            }
            assertThat(h.nextWsClose()).isEqualTo(
                    new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.WS_CLIENT_TOO_SLOW));
        }
        assertStillServed();
    }

    @Test
    void closedByApplication() throws Exception {
        try (RawWebSocket c = open()) {
            int id = h.nextOpen();
            h.server.closeWebSocket(h.handle(id));
            assertThat(c.readClose().closeCode()).isEqualTo(1000);
            assertThat(c.isClosedByPeer()).isTrue();
            assertThat(h.nextWsClose()).isEqualTo(
                    new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.CLOSED_BY_APPLICATION));
        }
        assertStillServed();
    }

    @Test
    void messagesHandedOffBeforeACleanCloseAreStillSent() throws Exception {
        try (RawWebSocket c = open()) {
            int id = h.nextOpen();
            h.server.execute(() -> {
                h.server.send(h.handle(id), "goodbye");
                h.server.closeWebSocket(h.handle(id));
            });
            ServerFrame first = c.readFrame();
            assertThat(first.opcode()).isEqualTo(TEXT);
            assertThat(first.text()).isEqualTo("goodbye");
            assertThat(c.readFrame().closeCode()).isEqualTo(1000);
            assertThat(h.nextWsClose()).isEqualTo(
                    new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.CLOSED_BY_APPLICATION));
        }
        // a request and the client's close in one write: the answer comes before the close
        try (RawWebSocket c = open()) {
            int id = h.nextOpen();
            c.send(WsFrames.concat(frame(FIN | TEXT, "last words"), frame(FIN | CLOSE, WsFrames.closePayload(1000, ""))));
            ServerFrame first = c.readFrame();
            assertThat(first.opcode()).isEqualTo(TEXT);
            assertThat(first.text()).isEqualTo("last words");
            assertThat(c.readFrame().closeCode()).isEqualTo(1000);
            assertThat(h.nextWsClose()).isEqualTo(new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.OK));
        }
    }

    @Test
    void serverShutdown() throws Exception {
        try (RawWebSocket c = open()) {
            int id = h.nextOpen();
            h.close();
            assertThat(c.readClose().closeCode()).isEqualTo(1001);
            assertThat(c.isClosedByPeer()).isTrue();
            assertThat(h.nextWsClose()).isEqualTo(
                    new TestServer.Close(ConnectionType.WEBSOCKET, id, CloseReason.SERVER_SHUTDOWN));
        }
    }

    @Test
    void pingBetweenFragmentsIsAnsweredAndTheMessageStillArrives() throws Exception {
        try (RawWebSocket c = open()) {
            h.nextOpen();
            c.send(frame(TEXT, "hel"));
            c.send(frame(FIN | PING, "p1"));
            ServerFrame pong = c.readFrame();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("p1");
            c.send(frame(FIN | PONG, "unsolicited"));
            c.send(frame(FIN | CONTINUATION, "lo"));
            ServerFrame msg = c.readFrame();
            assertThat(msg.opcode()).isEqualTo(TEXT);
            assertThat(msg.fin()).isTrue();
            assertThat(msg.text()).isEqualTo("hello");
            // all in one write, too
            c.send(WsFrames.concat(frame(BINARY, new byte[] {1}), frame(FIN | PING, "p2"),
                    frame(FIN | CONTINUATION, new byte[] {2})));
            pong = c.readFrame();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("p2");
            msg = c.readFrame();
            assertThat(msg.opcode()).isEqualTo(BINARY);
            assertThat(msg.payload()).containsExactly(1, 2);
        }
    }
}
