package dev.ringhttp.sample;

import dev.ringhttp.autoconfigure.cluster.RingHttpCluster;
import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.autoconfigure.websocket.WsSession;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The dashboard's chat: every text message is broadcast to everyone on
 * {@code /ws/chat} (the sender too) as
 * {@code {"from":"guest-3","text":"...","time":1700000000000}}. With the
 * {@code cluster} profile the broadcast reaches the clients of every instance,
 * and the sender's name carries its instance's id ({@code guest-3@sample-a}),
 * since each instance numbers its own connections.
 */
@WsHandler(ChatHandler.PATH)
public class ChatHandler implements WsListener {

    static final String PATH = "/ws/chat";
    /** Longer messages are cut; the page shows chat lines, not documents. */
    static final int MAX_TEXT = 500;

    private final WebSocketMessenger messenger;
    private final String instanceSuffix;

    public ChatHandler(WebSocketMessenger messenger, ObjectProvider<RingHttpCluster> cluster) {
        this.messenger = messenger;
        RingHttpCluster c = cluster.getIfAvailable();
        this.instanceSuffix = c == null ? "" : "@" + c.config().instanceId();
    }

    /** One chat line as broadcast. */
    public record ChatMessage(String from, String text, long time) {
    }

    @Override
    public void onText(WsSession session, String text) {
        String line = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        String from = "guest-" + session.id() + instanceSuffix;
        messenger.broadcastJson(PATH, new ChatMessage(from, line, System.currentTimeMillis()));
    }
}
