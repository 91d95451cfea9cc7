package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.ServerFrameReader;
import dev.ringhttp.core.testing.WsFrames;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Reads one WebSocket's server frames on a thread of its own and checks them as they come: every
 * echo equals the next message the client sent (bytes and text/binary), in order, none lost or
 * extra; broadcasts are intact and gap-free per source ({@link BroadcastTracker}); pongs answer the
 * pings sent, in order (the server may skip a ping, RFC 6455 §5.5.3, never invent or reorder one);
 * frames are unfragmented with no reserved bits, except RSV1 on the data frames of a client that
 * agreed to permessage-deflate (whose messages are checked once inflated).
 */
final class WsFrameChecker extends StreamChecker {

    /** Server frames accepted: a message can be at most this long (the server's limit plus the ring). */
    private static final int MAX_INCOMING = 1 << 20;

    private record Echo(byte[] payload, boolean text, String label) {
    }

    private final BlockingQueue<Echo> echoes = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
    private final BroadcastTracker broadcasts = new BroadcastTracker();
    private volatile int echoed;
    private volatile int closeCode = -1;
    private volatile boolean broken;
    private final boolean deflate;

    WsFrameChecker(ClientTag tag, Violations violations, boolean deflate) {
        super(tag, violations);
        this.deflate = deflate;
    }

    void expectEcho(byte[] payload, boolean text, String label) {
        echoes.add(new Echo(payload, text, label));
    }

    void expectPong(byte[] ping) {
        pings.add(ping);
    }

    @Override
    String readAll(InputStream in) throws IOException {
        while (true) {
            ServerFrame f = ServerFrameReader.read(in, MAX_INCOMING);
            if (f == null) {
                return "end of stream";
            }
            boolean data = f.opcode() == WsFrames.TEXT || f.opcode() == WsFrames.BINARY;
            boolean compressedAsAgreed = deflate && data && f.rsv() == WsFrames.RSV1;
            if ((f.rsv() != 0 && !compressedAsAgreed) || !f.fin()) {
                fail("server frame fragmented or with reserved bits", f.toString());
                return "bad frame";
            }
            if (f.opcode() == WsFrames.TEXT || f.opcode() == WsFrames.BINARY) {
                if (!data(f)) {
                    return "bad data frame";
                }
            } else if (f.opcode() == WsFrames.PONG) {
                if (!pong(f.payload())) {
                    return "bad pong";
                }
            } else if (f.opcode() == WsFrames.CLOSE) {
                closeCode = f.closeCode();
                return "close frame " + closeCode;
            } else if (f.opcode() != WsFrames.PING) {
                fail("server frame with an unknown opcode", "opcode " + f.opcode());
                return "bad opcode";
            }
        }
    }

    private boolean data(ServerFrame f) {
        byte[] p;
        try {
            p = f.message();
        } catch (AssertionError e) {
            fail("deflated WebSocket message does not inflate on its own", f + ": " + e.getCause());
            return false;
        }
        if (p.length > 0 && p[0] == 'B') {
            String wrong = broadcasts.accept(p);
            if (wrong != null) {
                fail(wrong.startsWith("corrupt") ? "broadcast corrupted" : "broadcast lost, repeated or reordered",
                        wrong);
                return false;
            }
            return true;
        }
        Echo e = echoes.poll();
        if (e == null) {
            fail("WebSocket message nobody sent", p.length + " bytes after " + echoed + " echoes");
            return false;
        }
        boolean text = f.opcode() == WsFrames.TEXT;
        if (text != e.text() || !Arrays.equals(p, e.payload())) {
            fail("WebSocket echo differs from the message sent (order, type or bytes)", "echo #" + echoed + " of "
                    + e.label() + ": want " + (e.text() ? "text" : "binary") + "/" + e.payload().length + ", got "
                    + (text ? "text" : "binary") + "/" + p.length);
            return false;
        }
        echoed++;
        progressed();
        return true;
    }

    private boolean pong(byte[] payload) {
        for (byte[] ping; (ping = pings.poll()) != null; ) {
            if (Arrays.equals(ping, payload)) {
                return true;
            }
        }
        fail("pong that answers no ping sent (or out of order)", payload.length + " bytes");
        return false;
    }

    private void fail(String kind, String detail) {
        broken = true;
        violations.add(kind, tag + ": " + detail);
    }

    /** Waits until {@code n} echoes arrived or reading ended; false on timeout. */
    boolean await(int n, long millis) throws InterruptedException {
        return await(() -> echoed, n, millis);
    }

    int echoed() {
        return echoed;
    }

    int closeCode() {
        return closeCode;
    }

    boolean broken() {
        return broken;
    }

    static InputStream buffered(Socket s) throws IOException {
        return new BufferedInputStream(s.getInputStream(), 16 * 1024);
    }
}
