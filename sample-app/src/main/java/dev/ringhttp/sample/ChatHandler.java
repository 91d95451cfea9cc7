package dev.ringhttp.sample;

import dev.ringhttp.autoconfigure.cluster.RingHttpCluster;
import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsHandshake;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.autoconfigure.websocket.WsSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;

/**
 * The dashboard's chat: every text message is broadcast to everyone on
 * {@code /ws/chat} (the sender too) as
 * {@code {"from":"guest-3","text":"...","time":1700000000000}}. With the
 * {@code cluster} profile the broadcast reaches the clients of every instance,
 * and the sender's name carries its instance's id ({@code guest-3@sample-a}),
 * since each instance numbers its own connections.
 *
 * <p>Anyone may read; only a connection opened with the chat's token
 * ({@code /ws/chat?token=...}, {@code sample.chat.token}) may post. The
 * handshake check refuses a wrong token with 403 before the WebSocket opens,
 * and a reader's messages are answered, to that reader only, with a line
 * saying how to post.
 */
@WsHandler(ChatHandler.PATH)
public class ChatHandler implements WsListener {

    static final String PATH = "/ws/chat";
    /** Longer messages are cut; the page shows chat lines, not documents. */
    static final int MAX_TEXT = 500;
    /** The session attribute that marks a connection allowed to post. */
    static final String POSTER = "poster";
    /** Who the chat's own notices come from. */
    static final String SERVER = "server";

    private final WebSocketMessenger messenger;
    private final String instanceSuffix;
    private final byte[] token;

    public ChatHandler(WebSocketMessenger messenger, ObjectProvider<RingHttpCluster> cluster,
            @Value("${sample.chat.token}") String token) {
        this.messenger = messenger;
        RingHttpCluster c = cluster.getIfAvailable();
        this.instanceSuffix = c == null ? "" : "@" + c.config().instanceId();
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** One chat line as broadcast. */
    public record ChatMessage(String from, String text, long time) {
    }

    /** No token: a reader. The right token: a poster. Any other token: refused with 403. */
    @Override
    public boolean onHandshake(WsHandshake handshake) {
        String offered = handshake.queryParameter("token");
        if (offered == null) {
            handshake.attributes().put(POSTER, false);
            return true;
        }
        // Compared in constant time, so that the answer's timing says nothing of how much of it matched.
        if (!MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8))) {
            handshake.refuse(403);
            return false;
        }
        handshake.attributes().put(POSTER, true);
        return true;
    }

    @Override
    public void onText(WsSession session, String text) {
        if (!Boolean.TRUE.equals(session.attributes().get(POSTER))) {
            session.sendJson(new ChatMessage(SERVER, "Read-only: open the page with ?token=... to post.",
                    System.currentTimeMillis()));
            return;
        }
        String line = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        String from = "guest-" + session.id() + instanceSuffix;
        messenger.broadcastJson(PATH, new ChatMessage(from, line, System.currentTimeMillis()));
    }
}
