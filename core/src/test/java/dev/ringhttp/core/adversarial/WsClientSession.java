package dev.ringhttp.core.adversarial;

import static dev.ringhttp.core.testing.WsFrames.BINARY;
import static dev.ringhttp.core.testing.WsFrames.CLOSE;
import static dev.ringhttp.core.testing.WsFrames.CONTINUATION;
import static dev.ringhttp.core.testing.WsFrames.FIN;
import static dev.ringhttp.core.testing.WsFrames.PING;
import static dev.ringhttp.core.testing.WsFrames.TEXT;

import dev.ringhttp.core.testing.Deflate;
import dev.ringhttp.core.testing.HttpResponseReader;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.WsFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One WebSocket client with hostile habits: messages of every size including empty text and binary
 * frames and the length-encoding edges, fragmented messages with pings between the fragments, frames
 * cut at random byte boundaries with pauses, a reader that stops reading while big echoes and empty
 * frames pile up behind a full socket, messages that make the handler throw or broadcast, and an end
 * that is a close handshake, a close, a reset, or a frame cut off midway.
 */
final class WsClientSession {

    private static final long ANSWER_MILLIS = 15_000;
    private static final int[] EDGES = {0, 1, 125, 126, 127, 65_535, 65_536};

    private enum Ending { CLOSE_HANDSHAKE, CLOSE, RESET, CUT_FRAME }

    private final ClientContext ctx;
    private final SplittableRandom r;
    private final ClientTag tag;
    private long seq;
    private int sent;
    private OutputStream out;
    private boolean deflate;

    WsClientSession(ClientContext ctx, SplittableRandom r, ClientTag tag) {
        this.ctx = ctx;
        this.r = r;
        this.tag = tag;
    }

    void run() throws IOException, InterruptedException {
        boolean stall = r.nextInt(5) == 0 && Behaviours.on(Behaviours.STALLS);
        Ending ending = Ending.values()[r.nextInt(Ending.values().length)];
        // A third offer permessage-deflate, as browsers do: their long messages then arrive deflated.
        deflate = r.nextInt(3) == 0;
        Socket s = ctx.sockets.connect(stall ? 4096 : 0);
        WsFrameChecker checker = new WsFrameChecker(tag, ctx.violations, deflate);
        try {
            out = s.getOutputStream();
            InputStream in = WsFrameChecker.buffered(s);
            String offer = deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "";
            byte[] handshake = RawWebSocket.handshakeRequest("/ws/" + tag.text(), offer)
                    .getBytes(StandardCharsets.ISO_8859_1);
            SplitWriter.write(out, handshake, r, r.nextInt(4) == 0);
            String head;
            try {
                head = HttpResponseReader.readHead(in);
            } catch (IOException e) {
                head = null;
            }
            if (head == null) {
                ctx.checkCut(tag, "WebSocket handshake", 0, 1, "no 101");
                return;
            }
            if (!RawWebSocket.isAccept(head)) {
                ctx.violations.add("WebSocket handshake refused", tag + ": " + head.lines().findFirst().orElse(""));
                return;
            }
            checker.start(in, stall ? 300 + r.nextInt(1700) : 0);
            boolean threw = stall ? stallTraffic(checker) : traffic(checker);
            if (threw) {
                awaitHandlerErrorClose(checker);
                return;
            }
            if (!ctx.running() && r.nextBoolean()) {
                return;
            }
            byte[] sync = Payloads.wsMessage('E', tag.text(), seq++, 40, true);
            checker.expectEcho(sync, true, "sync message");
            writeMessage(sync, true, false);
            sent++;
            if (!checker.await(sent, ANSWER_MILLIS + (stall ? 2_000 : 0))) {
                ctx.violations.add("WebSocket echoes missing, no byte for " + ANSWER_MILLIS + " ms (server stuck?)",
                        tag + ": " + checker.echoed() + " of " + sent + (stall ? " after a stall" : "")
                                + ", last byte " + checker.quietMillis() + " ms ago"
                                + ctx.describeStuck(tag, checker, s));
                return;
            }
            if (checker.end() != null) {
                if (!checker.broken()) {
                    ctx.checkCut(tag, "WebSocket", checker.echoed(), sent, checker.end());
                }
                return;
            }
            if (tag.victim()) {
                SplitWriter.pause(r.nextInt(300));
            }
            finish(s, checker, ending);
        } finally {
            checker.closingLocally();
            ctx.sockets.close(s, false);
            checker.join(5_000);
        }
    }

    /** Ordinary traffic; returns true when a message asked the handler to throw (the connection then fails). */
    private boolean traffic(WsFrameChecker checker) throws IOException, InterruptedException {
        int messages = 1 + r.nextInt(12);
        for (int i = 0; i < messages && ctx.running(); i++) {
            boolean text = r.nextBoolean();
            int length = length();
            char command = command(length);
            byte[] m = Payloads.wsMessage(command, tag.text(), seq++, length, text);
            if (command == 'T' || command == 'R') {
                writeMessage(m, text, r.nextBoolean());
                return true;
            }
            checker.expectEcho(m, text, "message " + (seq - 1) + " (" + m.length + " bytes)");
            writeMessage(m, text, m.length > 0 && r.nextInt(4) == 0, checker);
            sent++;
            if (r.nextInt(4) == 0) {
                byte[] ping = ping();
                checker.expectPong(ping);
                SplitWriter.write(out, WsFrames.frame(FIN | PING, ping, r.nextInt()), r, r.nextInt(3) == 0);
            }
            if (r.nextInt(3) == 0 && !checker.await(sent, ANSWER_MILLIS)) {
                return false;
            }
        }
        return false;
    }

    /**
     * Stops reading (the checker starts late), sends big messages whose echoes fill the server's socket
     * buffer, then empty frames, whose echoes must queue behind them without spinning the loop.
     */
    private boolean stallTraffic(WsFrameChecker checker) throws IOException {
        int big = 2 + r.nextInt(8);
        for (int i = 0; i < big && ctx.running(); i++) {
            byte[] m = Payloads.wsMessage('E', tag.text(), seq++, 16_000 + r.nextInt(16_000), false);
            checker.expectEcho(m, false, "big message " + (seq - 1));
            writeMessage(m, false, false);
            sent++;
        }
        int empties = 1 + r.nextInt(4);
        for (int i = 0; i < empties; i++) {
            boolean text = r.nextBoolean();
            checker.expectEcho(new byte[0], text, "empty message " + seq++);
            writeMessage(new byte[0], text, false);
            sent++;
        }
        return false;
    }

    private void writeMessage(byte[] m, boolean text, boolean fragmented) throws IOException {
        writeMessage(m, text, fragmented, null);
    }

    /**
     * Writes {@code m} as one frame or as fragments, with pings between fragments when a checker
     * expects pongs; with permessage-deflate agreed, now and then compressed (RSV1 on the first frame).
     */
    private void writeMessage(byte[] message, boolean text, boolean fragmented, WsFrameChecker pongs)
            throws IOException {
        int opcode = text ? TEXT : BINARY;
        byte[] m = message;
        if (deflate && message.length > 0 && r.nextInt(3) == 0) {
            byte[] compressed = Deflate.compress(message);
            // Never longer than the message: a compressed frame over the server's limit would be 1009.
            if (compressed.length <= message.length) {
                m = compressed;
                opcode |= WsFrames.RSV1;
            }
        }
        if (!fragmented || m.length < 2) {
            SplitWriter.write(out, WsFrames.frame(FIN | opcode, m, r.nextInt()), r, m.length < 4096 && r.nextInt(4) == 0);
            return;
        }
        int pieces = 2 + r.nextInt(Math.min(4, m.length - 1));
        int at = 0;
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < pieces; i++) {
            // Fragments may be empty, except that the split points stay in order.
            int end = i == pieces - 1 ? m.length : at + r.nextInt(m.length - at + 1);
            byte[] part = java.util.Arrays.copyOfRange(m, at, end);
            int first = (i == pieces - 1 ? FIN : 0) | (i == 0 ? opcode : CONTINUATION);
            batch.writeBytes(WsFrames.frame(first, part, r.nextInt()));
            at = end;
            if (pongs != null && i < pieces - 1 && r.nextBoolean()) {
                byte[] ping = ping();
                pongs.expectPong(ping);
                batch.writeBytes(WsFrames.frame(FIN | PING, ping, r.nextInt()));
            }
        }
        byte[] all = batch.toByteArray();
        SplitWriter.write(out, all, r, all.length < 8192 && r.nextBoolean());
    }

    private byte[] ping() {
        int n = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 125;
            default -> r.nextInt(30);
        };
        byte[] p = new byte[n];
        byte[] id = ("P" + tag.text() + "." + seq + "." + r.nextInt(1000)).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, p, 0, Math.min(n, id.length));
        return p;
    }

    private int length() {
        int max = ctx.config.maxWsMessageLength();
        return switch (r.nextInt(10)) {
            case 0, 1 -> 0;
            case 2 -> Math.min(max, EDGES[r.nextInt(EDGES.length)]);
            case 3 -> 4_000 + r.nextInt(Math.max(1, max - 4_000));
            case 4, 5 -> 126 + r.nextInt(4_000);
            default -> 1 + r.nextInt(125);
        };
    }

    private char command(int length) {
        if (length < 40) {
            return 'E';
        }
        int k = r.nextInt(100);
        if (k < 10 && Behaviours.on(Behaviours.CALLBACK_BROADCASTS)) {
            return 'K';
        }
        if (tag.thrower() && k < 14) {
            return k < 12 ? 'T' : 'R';
        }
        return 'E';
    }

    /** A handler that threw fails the connection with 1011 (HANDLER_ERROR), after the echoes before it. */
    private void awaitHandlerErrorClose(WsFrameChecker checker) throws InterruptedException {
        if (!checker.await(Integer.MAX_VALUE, ANSWER_MILLIS)) {
            ctx.violations.add("no close within " + ANSWER_MILLIS + " ms after a WebSocket handler threw", tag.text());
            return;
        }
        if (checker.broken()) {
            return;
        }
        if (checker.closeCode() == 1011 && checker.echoed() == sent) {
            return;
        }
        ctx.checkCut(tag, "WebSocket (handler threw)", checker.echoed(), sent, checker.end());
    }

    private void finish(Socket s, WsFrameChecker checker, Ending ending) throws IOException, InterruptedException {
        switch (ending) {
            case CLOSE_HANDSHAKE -> {
                out.write(WsFrames.frame(FIN | CLOSE, WsFrames.closePayload(1000, new byte[0]), r.nextInt()));
                out.flush();
                if (!checker.await(Integer.MAX_VALUE, 5_000)) {
                    ctx.violations.add("no close frame within 5 s after the client's close frame", tag.text());
                } else if (!checker.broken() && checker.closeCode() != 1000) {
                    ctx.checkCut(tag, "WebSocket close handshake", checker.echoed(), sent, checker.end());
                }
            }
            case CUT_FRAME -> {
                byte[] f = WsFrames.frame(FIN | BINARY, Payloads.wsMessage('E', tag.text(), seq, 300, false), r.nextInt());
                out.write(f, 0, 1 + r.nextInt(f.length - 1));
                out.flush();
                SplitWriter.pause(r.nextInt(20));
                checker.closingLocally();
                ctx.sockets.close(s, r.nextBoolean());
            }
            case RESET -> {
                checker.closingLocally();
                ctx.sockets.close(s, true);
            }
            default -> {
                checker.closingLocally();
                ctx.sockets.close(s, false);
            }
        }
    }
}
