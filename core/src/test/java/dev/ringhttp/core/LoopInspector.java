package dev.ringhttp.core;

import java.util.concurrent.TimeUnit;

/** Lets tests outside this package see a slot's state as the loop sees it, to explain a stuck connection. */
public final class LoopInspector {

    private LoopInspector() {
    }

    /** The WebSocket slot {@code wsId}'s state in one line, or why it could not be read within a second. */
    public static String webSocket(RingHttpServer server, int wsId) {
        return describe(server, ConnectionType.WEBSOCKET, wsId);
    }

    private static String describe(RingHttpServer server, ConnectionType type, int id) {
        try {
            return server.describe(type, id).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "no answer from the loop (" + e + ")";
        }
    }
}
