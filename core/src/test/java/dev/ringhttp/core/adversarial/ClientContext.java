package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.LoopInspector;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;

/** What every client of a run shares: the sockets, the server's ledger, the violations, the clock. */
final class ClientContext {

    /** How long a client waits for the server to report why it cut a stream. */
    private static final long CLOSE_REPORT_MILLIS = 3_000;

    final ClientSockets sockets;
    final ServerLedger ledger;
    final Violations violations;
    final ServerConfig config;
    private final RingHttpServer server;
    private volatile boolean running = true;

    ClientContext(RingHttpServer server, ClientSockets sockets, ServerLedger ledger, Violations violations,
            ServerConfig config) {
        this.server = server;
        this.sockets = sockets;
        this.ledger = ledger;
        this.violations = violations;
        this.config = config;
    }

    /**
     * What the server and the client's reader show for a WebSocket that seems stuck: the slot's state
     * as the loop sees it, twice a second apart (to tell stuck from slow), and the reader's thread.
     */
    String describeStuck(ClientTag tag, StreamChecker reader, java.net.Socket socket) throws InterruptedException {
        String sockets = "; sockets: " + ServerHealth.socketsOf(socket.getLocalPort());
        Integer slot = ledger.wsSlotByTag.get(tag.text());
        if (slot == null) {
            return "; server: no slot recorded; " + reader.describeReader() + sockets;
        }
        Long handle = ledger.wsHandleByTag.get(tag.text());
        String first = "tenant generation " + (handle == null ? "?" : handle >>> 32) + ", "
                + LoopInspector.webSocket(server, slot);
        Thread.sleep(1_000);
        return "; server reported close " + ledger.closeOf(tag.text()) + "; server: " + first + "; a second later: "
                + LoopInspector.webSocket(server, slot) + "; " + reader.describeReader() + sockets;
    }

    boolean running() {
        return running;
    }

    void stop() {
        running = false;
    }

    /**
     * The server ended {@code tag}'s stream after {@code got} of {@code asked} answers: legitimate only for a
     * reason the client's behaviour allows (its eviction, too slow, being a victim or a thrower).
     */
    void checkCut(ClientTag tag, String what, int got, int asked, String how) throws InterruptedException {
        CloseReason reason = ledger.awaitClose(tag.text(), CLOSE_REPORT_MILLIS);
        if (reason == null) {
            if (got > 0) {
                violations.add(what + " stream ended but the server reported no close",
                        tag + ": " + got + " of " + asked + " answers, then " + how);
            }
            // got == 0: the server may have closed it before any request named it (evicted from a full pool).
            return;
        }
        if (!tag.allowsCut(reason)) {
            violations.add(what + " stream cut short by the server with a reason that does not explain it",
                    tag + ": " + got + " of " + asked + " answers, then " + how + "; server reason " + reason);
        }
    }
}
