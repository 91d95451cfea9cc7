package dev.ringhttp.core.adversarial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.SplittableRandom;

/**
 * One HTTP client connection with hostile habits, all decided by its random source: pipelined bursts
 * of 1 to thousands of requests in one write (the burst stays under the request limit), requests cut
 * at random byte boundaries with pauses, a reader that stalls with a tiny receive window, handlers
 * asked to throw or to stage without handing off, and an end that is a clean half-close, a close, a
 * reset, a reset in the middle of a burst, or a request cut off midway.
 */
final class HttpClientSession {

    /** Answers must come within this bound, however long the pipeline. */
    private static final long ANSWER_MILLIS = 15_000;
    private static final int MINIMAL_REQUEST_BYTES = 48;
    /** Requests in one burst when long pipelines are switched off for triage. */
    private static final int SHORT_PIPELINE = 100;

    private enum Ending { HALF_CLOSE, CLOSE, RESET, RESET_MID_BURST, CUT_REQUEST }

    private final ClientContext ctx;
    private final SplittableRandom r;
    private final ClientTag tag;
    private long seq;

    HttpClientSession(ClientContext ctx, SplittableRandom r, ClientTag tag) {
        this.ctx = ctx;
        this.r = r;
        this.tag = tag;
    }

    void run() throws IOException, InterruptedException {
        boolean stall = r.nextInt(6) == 0 && Behaviours.on(Behaviours.STALLS);
        Ending ending = Ending.values()[r.nextInt(Ending.values().length)];
        Socket s = ctx.sockets.connect(stall ? 4096 : 0);
        HttpResponseChecker checker = new HttpResponseChecker(tag, ctx.violations);
        checker.start(s, stall ? 200 + r.nextInt(1300) : 0);
        OutputStream out = s.getOutputStream();
        int asked = 0;
        boolean cut = false;
        try {
            int bursts = 1 + r.nextInt(3);
            for (int b = 0; b < bursts && ctx.running(); b++) {
                byte[] burst = burst(checker, stall);
                asked += count;
                SplitWriter.write(out, burst, r, burst.length < 4096 && r.nextInt(3) == 0);
                if (ending == Ending.RESET_MID_BURST && b == bursts - 1) {
                    checker.closingLocally();
                    ctx.sockets.close(s, true);
                    return;
                }
                if (!checker.await(asked, ANSWER_MILLIS)) {
                    ctx.violations.add("HTTP answers missing, no byte for " + ANSWER_MILLIS + " ms (server stuck?)",
                            tag + ": " + checker.answered() + " of " + asked + ", last byte "
                                    + checker.quietMillis() + " ms ago");
                    cut = true;
                    break;
                }
                if (checker.end() != null) {
                    if (!checker.mismatch()) {
                        ctx.checkCut(tag, "HTTP", checker.answered(), asked, checker.end());
                    }
                    cut = true;
                    break;
                }
            }
            if (!cut && tag.victim()) {
                // Give the closer thread a chance to close this connection by its handle.
                SplitWriter.pause(r.nextInt(300));
            }
            finish(s, out, checker, ending, cut);
        } finally {
            checker.closingLocally();
            ctx.sockets.close(s, false);
            checker.join(5_000);
        }
    }

    private int count;

    /** Builds one burst and registers what each request must get back. */
    private byte[] burst(HttpResponseChecker checker, boolean stall) {
        int limit = ctx.config.maxRequestLength() - 1024;
        int n = switch (r.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 2 + r.nextInt(10);
            case 2 -> 10 + r.nextInt(100);
            default -> 100 + r.nextInt(Math.max(1, limit / MINIMAL_REQUEST_BYTES - 100));
        };
        n = Behaviours.on(Behaviours.LONG_PIPELINES) ? n : Math.min(n, SHORT_PIPELINE);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        count = 0;
        for (int i = 0; i < n && all.size() + MINIMAL_REQUEST_BYTES + 16 < limit; i++) {
            int len = n > 20 ? 0 : stall ? 8_000 + r.nextInt(16_000) : bodyLength();
            long s = seq++;
            String kind = kind(i == n - 1);
            String path = "/" + kind + "/" + tag.text() + "/" + s + "/" + len;
            byte[] filler = Payloads.filler(tag.text(), s, len, true);
            checker.expect(switch (kind) {
                case "e" -> new HttpResponseChecker.Expected(path, 200, filler);
                case "s" -> new HttpResponseChecker.Expected(path, 200, AdversarialHandlers.DROPPED_BYTES);
                default -> new HttpResponseChecker.Expected(path, 500, new byte[0]);
            });
            all.writeBytes(Payloads.get(path));
            count++;
            if (kind.equals("x")) {
                break;
            }
        }
        return all.toByteArray();
    }

    private String kind(boolean last) {
        int k = r.nextInt(100);
        if (k < 6) {
            return Behaviours.on(Behaviours.DROPPED_STAGE) ? "s" : "e";
        }
        if (k < 10) {
            return Behaviours.on(Behaviours.THROWING_HANDLERS) ? "t" : "e";
        }
        // An Error may close the connection (HANDLER_ERROR): only a thrower asks, and only last in a burst.
        return k < 12 && last && tag.thrower() ? "x" : "e";
    }

    private int bodyLength() {
        return switch (r.nextInt(10)) {
            case 0 -> 1_000 + r.nextInt(23_000);
            case 1, 2 -> 0;
            default -> r.nextInt(200);
        };
    }

    private void finish(Socket s, OutputStream out, HttpResponseChecker checker, Ending ending, boolean cut)
            throws IOException, InterruptedException {
        if (cut) {
            return;
        }
        switch (ending) {
            case HALF_CLOSE -> {
                s.shutdownOutput();
                // The server answers end of stream between requests by closing: the reader sees it.
                if (!checker.await(Integer.MAX_VALUE, 5_000)) {
                    ctx.violations.add("HTTP connection not closed within 5 s after the client's half-close", tag.text());
                }
            }
            case CUT_REQUEST -> {
                byte[] next = Payloads.get("/e/" + tag.text() + "/" + seq + "/10");
                out.write(next, 0, 1 + r.nextInt(next.length - 1));
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

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
