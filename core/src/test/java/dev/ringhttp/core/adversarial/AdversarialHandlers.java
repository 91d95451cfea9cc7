package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.WebSocketHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The application under attack. Routes (tag, seq, len from the path):
 * <ul>
 * <li>{@code /p/tag}: the probe, a static body;
 * <li>{@code /e/tag/seq/len}: a ring body of {@link Payloads#filler} bytes;
 * <li>{@code /s/tag/seq/len}: stages filler, never hands it off, answers a static body (the stage must
 *     be empty again before the next handler or task);
 * <li>{@code /t/...}, {@code /x/...}: stage filler, then throw a RuntimeException or an Error (a 500
 *     with an empty body, or for an Error a close with HANDLER_ERROR);
 * <li>{@code /ws/tag}: WebSocket upgrade.
 * </ul>
 * WebSocket messages are echoed; the first byte asks for more: {@code K} also broadcasts from the
 * callback, {@code T}/{@code R} throw a RuntimeException/Error. Every WebSocket close broadcasts from
 * its close callback, which may run in the middle of another hand-off (an eviction or a full queue).
 *
 * <p>Each loop is a thread of its own, so what the callbacks keep (broadcast sequences, the random
 * source) is kept per loop, and each loop broadcasts as sources of its own ({@code M0}, {@code C1}...):
 * the server keeps one thread's broadcasts in order at every receiver, not those of two threads.
 */
final class AdversarialHandlers {

    /** What clients expect; never read from the buffers below, whose position the loop moves while writing. */
    static final byte[] PROBE_BYTES = "probe\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DROPPED_BYTES = "stage dropped\n".getBytes(StandardCharsets.US_ASCII);
    static final ByteBuffer PROBE_BODY = ByteBuffer.wrap(PROBE_BYTES.clone()).asReadOnlyBuffer();
    static final ByteBuffer DROPPED_BODY = ByteBuffer.wrap(DROPPED_BYTES.clone()).asReadOnlyBuffer();
    static final String THROW_MESSAGE = "adversarial: handler throws on purpose";

    /** An Error a handler throws on purpose. */
    static final class PurposefulError extends Error {
        PurposefulError() {
            super(THROW_MESSAGE);
        }
    }

    private final ServerLedger ledger;
    private final Violations violations;
    private final long seed;
    private RingHttpServer server;
    /** Per loop, indexed by {@link RingHttpServer#currentLoop()}; written by that loop only. */
    private SplittableRandom[] loopRandom;
    private long[] messageBroadcasts;
    private long[] closeBroadcasts;

    AdversarialHandlers(ServerLedger ledger, Violations violations, long seed) {
        this.ledger = ledger;
        this.violations = violations;
        this.seed = seed;
    }

    /** Before the server starts. */
    void attach(RingHttpServer server) {
        this.server = server;
        int loops = server.eventLoops();
        loopRandom = new SplittableRandom[loops];
        for (int k = 0; k < loops; k++) {
            loopRandom[k] = new SplittableRandom((seed ^ 0x5DEECE66DL) + k);
        }
        messageBroadcasts = new long[loops];
        closeBroadcasts = new long[loops];
    }

    /** The HTTP side; its close callback shares a signature with the WebSocket one, hence two objects. */
    HttpHandler http() {
        return new HttpHandler() {
            @Override
            public void handle(HttpRequest request, HttpResponse response) {
                AdversarialHandlers.this.handle(request, response);
            }

            @Override
            public void onClose(int connectionId, CloseReason reason) {
                ledger.httpClosed(connectionId, reason);
            }
        };
    }

    WebSocketHandler ws() {
        return new WebSocketHandler() {
            @Override
            public void onOpen(int wsId, HttpRequest handshake) {
                AdversarialHandlers.this.onOpen(wsId, handshake);
            }

            @Override
            public void onMessage(int wsId, ByteBuffer payload, boolean text) {
                AdversarialHandlers.this.onMessage(wsId, payload, text);
            }

            @Override
            public void onClose(int wsId, CloseReason reason) {
                wsClosed(wsId, reason);
            }
        };
    }

    private void handle(HttpRequest request, HttpResponse response) {
        String[] p = request.path().split("/", 6);
        if (p.length >= 3 && p[1].equals("ws")) {
            if (request.isWebSocketUpgrade()) {
                response.upgradeToWebSocket(0);
            } else {
                response.status(400);
            }
            return;
        }
        if (p.length < 3) {
            response.status(404);
            return;
        }
        String tag = p[2];
        ledger.httpRequest(request.connectionId(), tag, ConnectionHandles.http(server, request.connectionId()));
        if (p[1].equals("p")) {
            response.body(PROBE_BODY);
            return;
        }
        if (p.length < 5) {
            response.status(404);
            return;
        }
        long seq = Long.parseLong(p[3]);
        int len = Integer.parseInt(p[4]);
        byte[] body = Payloads.filler(tag, seq, len, true);
        switch (p[1]) {
            case "e" -> response.body(body);
            case "s" -> {
                server.staging().bytes(body);
                response.body(DROPPED_BODY);
            }
            case "t" -> {
                server.staging().bytes(body);
                throw new IllegalStateException(THROW_MESSAGE);
            }
            case "x" -> {
                server.staging().bytes(body);
                throw new PurposefulError();
            }
            default -> response.status(404);
        }
    }

    private void onOpen(int wsId, HttpRequest handshake) {
        String[] p = handshake.path().split("/", 4);
        ledger.wsOpened(wsId, handshake.connectionId(), p[2], ConnectionHandles.webSocket(server, wsId));
    }

    private void onMessage(int wsId, ByteBuffer payload, boolean text) {
        byte command = payload.remaining() == 0 ? (byte) 'E' : payload.get(payload.position());
        if (command == 'T') {
            throw new IllegalStateException(THROW_MESSAGE);
        }
        if (command == 'R') {
            throw new PurposefulError();
        }
        server.staging().bytes(payload).sendTo(wsId, text);
        if (command == 'K') {
            int loop = server.currentLoop();
            if (broadcastFromCallback("M" + loop, messageBroadcasts[loop])) {
                messageBroadcasts[loop]++;
            }
        }
    }

    private void wsClosed(int wsId, CloseReason reason) {
        if (!ledger.wsClosed(wsId, reason)) {
            return;
        }
        // DESIGN.md: a callback run during a hand-off may stage and hand off again without disturbing it.
        int loop = server.currentLoop();
        if (Behaviours.on(Behaviours.CALLBACK_BROADCASTS)
                && broadcastFromCallback("C" + loop, closeBroadcasts[loop])) {
            closeBroadcasts[loop]++;
        }
    }

    /** Returns whether the broadcast went out (sequence numbers advance only then, so receivers see no gap). */
    private boolean broadcastFromCallback(String source, long seq) {
        SplittableRandom random = loopRandom[server.currentLoop()];
        int length = random.nextInt(4) == 0 ? random.nextInt(4096) : random.nextInt(200);
        try {
            server.staging().bytes(Payloads.broadcast(source, seq, length));
            return server.staging().broadcast(true);
        } catch (IllegalStateException e) {
            violations.add("a callback cannot stage and broadcast during a hand-off (DESIGN.md: hand-off is re-entrant)",
                    source + " broadcast: " + e.getMessage());
            return false;
        }
    }
}
