package dev.ringhttp.sample;

import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.autoconfigure.websocket.WsSession;

/**
 * The dashboard's chat: every text message is broadcast to everyone on
 * {@code /ws/chat} (the sender too) as
 * {@code {"from":"guest-3","text":"...","time":1700000000000}}.
 */
@WsHandler(ChatHandler.PATH)
public class ChatHandler implements WsListener {

    static final String PATH = "/ws/chat";
    /** Longer messages are cut; the page shows chat lines, not documents. */
    static final int MAX_TEXT = 500;

    private final WebSocketMessenger messenger;

    public ChatHandler(WebSocketMessenger messenger) {
        this.messenger = messenger;
    }

    /** One chat line as broadcast. */
    public record ChatMessage(String from, String text, long time) {
    }

    @Override
    public void onText(WsSession session, String text) {
        String line = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        messenger.broadcastJson(PATH, new ChatMessage("guest-" + session.id(), line, System.currentTimeMillis()));
    }
}
