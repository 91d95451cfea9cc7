package dev.ringhttp.sample;

import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.autoconfigure.websocket.WsSession;
import dev.ringhttp.core.RingHttpServer;
import java.nio.ByteBuffer;

/**
 * Echoes every text and binary message unchanged, without copying it to the
 * heap: the payload view into the receive buffer is staged straight into the
 * outgoing ring, on the event loop.
 */
@WsHandler("/ws/echo")
public class EchoHandler implements WsListener {

    private final RingHttpServer server;

    public EchoHandler(RingHttpServer server) {
        this.server = server;
    }

    @Override
    public void onMessage(WsSession session, ByteBuffer payload, boolean text) {
        server.staging().bytes(payload).sendTo(session.id(), text);
    }
}
