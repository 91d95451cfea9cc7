package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server side saw, per connection incarnation: opens, closes and their reasons, keyed by the
 * client's tag so that a client whose stream was cut can ask why. Slot arrays are touched by the loop
 * thread only; the maps and counters are read by client and checker threads.
 *
 * <p>Invariants checked as events arrive: a WebSocket slot is opened only when free and closed only
 * when open (exactly one close per open); every close reason is one the owning client's behaviour
 * allows; the application closes only victims.
 */
final class ServerLedger {

    private final Violations violations;
    private final String[] httpTag;
    private final String[] wsTag;
    private final boolean[] wsOpen;
    private final Map<String, CloseReason> closeByTag = new ConcurrentHashMap<>();
    final Map<String, Long> victimWs = new ConcurrentHashMap<>();
    final Map<String, Long> victimHttp = new ConcurrentHashMap<>();
    /** The WebSocket slot each client's connection got, for describing it when it seems stuck. */
    final Map<String, Integer> wsSlotByTag = new ConcurrentHashMap<>();
    final Map<String, Long> wsHandleByTag = new ConcurrentHashMap<>();
    final AtomicLong httpCloses = new AtomicLong();
    final AtomicLong wsOpens = new AtomicLong();
    final AtomicLong wsCloses = new AtomicLong();

    ServerLedger(Violations violations, int maxConnections, int maxWsConnections) {
        this.violations = violations;
        this.httpTag = new String[maxConnections];
        this.wsTag = new String[maxWsConnections];
        this.wsOpen = new boolean[maxWsConnections];
    }

    /** Loop thread: a request on HTTP slot {@code id} named its client. */
    void httpRequest(int id, String tag, long handle) {
        httpTag[id] = tag;
        ClientTag t = ClientTag.parse(tag);
        if (t != null && t.victim()) {
            victimHttp.put(tag, handle);
        }
    }

    void httpClosed(int id, CloseReason reason) {
        httpCloses.incrementAndGet();
        String tag = httpTag[id];
        httpTag[id] = null;
        if (tag == null) {
            // Nothing named this connection yet, so no victim's handle can lead to it.
            if (reason == CloseReason.CLOSED_BY_APPLICATION || reason == CloseReason.INTERNAL_ERROR
                    || reason == CloseReason.SERVER_SHUTDOWN) {
                violations.add("HTTP connection closed with " + reason + " that no client allows",
                        "slot " + id + " before any request");
            }
            return;
        }
        victimHttp.remove(tag);
        record(ConnectionType.HTTP, tag, reason);
    }

    /** Loop thread: the HTTP slot {@code httpId} became WebSocket {@code wsId}; no HTTP close is reported. */
    void wsOpened(int wsId, int httpId, String tag, long handle) {
        if (httpId >= 0 && httpId < httpTag.length) {
            httpTag[httpId] = null;
        }
        victimHttp.remove(tag);
        wsOpens.incrementAndGet();
        if (wsOpen[wsId]) {
            violations.add("WebSocket onOpen for a slot still open (its close was never reported)",
                    "ws " + wsId + " was " + wsTag[wsId] + ", now " + tag);
        }
        wsOpen[wsId] = true;
        wsTag[wsId] = tag;
        wsSlotByTag.put(tag, wsId);
        wsHandleByTag.put(tag, handle);
        ClientTag t = ClientTag.parse(tag);
        if (t != null && t.victim()) {
            victimWs.put(tag, handle);
        }
    }

    /** Loop thread. Returns false when this close is a duplicate. */
    boolean wsClosed(int wsId, CloseReason reason) {
        if (!wsOpen[wsId]) {
            violations.add("WebSocket onClose twice, or without onOpen", "ws " + wsId + " reason " + reason
                    + " (last tenant " + wsTag[wsId] + ")");
            return false;
        }
        wsCloses.incrementAndGet();
        wsOpen[wsId] = false;
        String tag = wsTag[wsId];
        victimWs.remove(tag);
        record(ConnectionType.WEBSOCKET, tag, reason);
        return true;
    }

    private void record(ConnectionType type, String tag, CloseReason reason) {
        CloseReason before = closeByTag.putIfAbsent(tag, reason);
        if (before != null) {
            violations.add(type + " connection closed twice", tag + ": " + before + " then " + reason);
        }
        ClientTag t = ClientTag.parse(tag);
        if (t == null || !t.allowsClose(reason)) {
            violations.add(type + " connection closed with " + reason + " that its client does not allow",
                    tag + (reason == CloseReason.CLOSED_BY_APPLICATION
                            ? " (not a victim: a close meant for an earlier tenant of the slot?)" : ""));
        }
    }

    /** The reason the server gave for closing {@code tag}, waiting up to {@code millis}; null if none was reported. */
    CloseReason awaitClose(String tag, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        CloseReason r;
        while ((r = closeByTag.get(tag)) == null && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
        return r;
    }

    CloseReason closeOf(String tag) {
        return closeByTag.get(tag);
    }
}
