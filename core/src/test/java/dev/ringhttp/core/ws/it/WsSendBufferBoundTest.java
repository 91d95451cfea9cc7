package dev.ringhttp.core.ws.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.RawWebSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code socketSendBuffer} bounds what the kernel queues for a client that stopped reading: a
 * stalled WebSocket is closed as too slow once about that much (what the kernel grants for it,
 * plus the client's own small receive window) has been written to its socket, not the megabytes
 * an autotuned send buffer would take.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WsSendBufferBoundTest {

    private static final int SEND_BUFFER = 64 * 1024;
    private static final int CLIENT_RECEIVE_BUFFER = 4096;
    private static final int SIZE = 16 * 1024;
    private static final int FRAMES = 8;
    /** Far more than any loopback send buffer holds (a few MiB at most here). */
    private static final int MAX_MESSAGES = 4_000;

    private WsHarness h;
    private RawWebSocket stalled;

    @AfterEach
    void stop() throws Exception {
        if (stalled != null) {
            stalled.close();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void stalledWebSocketIsClosedAfterAboutTheSendBufferIsQueued() throws Exception {
        h = WsHarness.start(ServerConfig.builder().maxConnections(4).maxWsConnections(4).maxWsMessageLength(SIZE)
                .maxWsSendFrames(FRAMES).outgoingBufferSize(16 << 20).socketSendBuffer(SEND_BUFFER));
        stalled = RawWebSocket.to(h.port(), "/ws/1").receiveBuffer(CLIENT_RECEIVE_BUFFER).connect();
        h.nextOpen();
        long before = h.server.counters().bytesWritten();

        byte[] message = new byte[SIZE];
        int sent = 0;
        while (h.closes(CloseReason.WS_CLIENT_TOO_SLOW) == 0 && sent < MAX_MESSAGES) {
            h.server.broadcast(1, message, false);
            if (++sent % FRAMES == 0) {
                Thread.sleep(1); // let the loop write, so the kernel queue, not the task queue, fills first
            }
        }
        assertThat(Await.holds(() -> h.closes(CloseReason.WS_CLIENT_TOO_SLOW) == 1, 10_000))
                .as("closed as too slow after %d messages", sent).isTrue();

        long written = h.server.counters().bytesWritten() - before;
        long sendQueue = h.server.kernelSendBufferLimit() / 8; // 4 + 4 connections
        // The JDK reports receive buffers before Linux doubles them, as it does send buffers.
        long clientWindow = 2L * stalled.socket().getReceiveBufferSize();
        System.out.printf("socketSendBuffer %d: send queue up to %d, client receive buffer %d, written before the"
                + " close %d bytes (%d messages broadcast)%n", SEND_BUFFER, sendQueue, clientWindow, written, sent);
        assertThat(sendQueue).as("what Linux grants, doubled").isLessThanOrEqualTo(2L * SEND_BUFFER);
        assertThat(written).as("bytes the kernels took for the stalled client")
                .isPositive()
                .isLessThanOrEqualTo(sendQueue + clientWindow + SIZE);
    }
}
