package dev.ringhttp.sample;

import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.autoconfigure.websocket.WsSession;
import dev.ringhttp.core.RingHttpServer;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Feeds the dashboard: a {@link StatsSnapshot} to every {@code /ws/live}
 * connection every {@code sample.live.interval} (1s by default), from the
 * scheduler thread through {@link WebSocketMessenger}; a new connection gets
 * one at once so the page fills without waiting. The figures are this
 * instance's own, so they go out through {@link WebSocketMessenger#local()}:
 * in a cluster (the {@code cluster} profile) each dashboard shows the instance
 * it is connected to, while the chat is shared.
 */
@WsHandler(LiveStats.PATH)
public class LiveStats implements WsListener {

    static final String PATH = "/ws/live";

    private final RingHttpServer server;
    private final WebSocketMessenger messenger;

    public LiveStats(RingHttpServer server, WebSocketMessenger messenger) {
        this.server = server;
        this.messenger = messenger;
    }

    @Override
    public void onOpen(WsSession session) {
        session.sendJson(StatsSnapshot.of(server));
    }

    @Scheduled(fixedRateString = "${sample.live.interval:1s}", initialDelayString = "${sample.live.interval:1s}")
    public void broadcast() {
        messenger.local().broadcastJson(PATH, StatsSnapshot.of(server));
    }
}
