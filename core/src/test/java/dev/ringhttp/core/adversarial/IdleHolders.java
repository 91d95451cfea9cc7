package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.testing.HttpResponseReader;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.WsFrames;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Clients that stay connected, idle and unread at the end of a run, so the loop's idleness is measured
 * with the awkward states open: HTTP responses stuck behind a full socket, and WebSocket echoes (big,
 * then empty) queued behind one. An idle loop must not spin on them.
 */
final class IdleHolders {

    private final ClientContext ctx;
    private final SplittableRandom r;
    private final List<Socket> sockets = new ArrayList<>();

    IdleHolders(ClientContext ctx, SplittableRandom r) {
        this.ctx = ctx;
        this.r = r;
    }

    void open(int http, int ws) throws IOException {
        for (int i = 0; i < http; i++) {
            ClientTag tag = new ClientTag(-2, i, false, false);
            Socket s = ctx.sockets.connect(4096);
            sockets.add(s);
            for (int k = 0; k < 4; k++) {
                s.getOutputStream().write(Payloads.get("/e/" + tag.text() + "/" + k + "/20000"));
            }
        }
        for (int i = 0; i < ws; i++) {
            ClientTag tag = new ClientTag(-3, i, false, false);
            Socket s = ctx.sockets.connect(4096);
            sockets.add(s);
            s.getOutputStream().write(RawWebSocket.handshake("/ws/" + tag.text()));
            InputStream in = s.getInputStream();
            String head = HttpResponseReader.readHead(in);
            if (head == null || !RawWebSocket.isAccept(head)) {
                ctx.violations.add("idle holder's WebSocket handshake failed", tag + ": " + head);
                continue;
            }
            for (int k = 0; k < 6; k++) {
                s.getOutputStream().write(WsFrames.frame(WsFrames.FIN | WsFrames.BINARY,
                        Payloads.wsMessage('E', tag.text(), k, 24_000, false), r.nextInt()));
            }
            for (int k = 0; k < 3; k++) {
                s.getOutputStream().write(WsFrames.frame(WsFrames.FIN | WsFrames.TEXT, new byte[0], r.nextInt()));
            }
            s.getOutputStream().flush();
        }
    }

    void close() {
        for (Socket s : sockets) {
            ctx.sockets.close(s, true);
        }
    }
}
