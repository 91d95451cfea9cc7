package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.testing.HttpResponseReader;
import dev.ringhttp.core.testing.RawResponse;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads one HTTP connection's responses on a thread of its own and checks each, in order, against
 * the request that asked for it: status and body byte for byte. Pipelined responses must come in
 * request order, none lost, none extra, none carrying another handler's staged bytes.
 */
final class HttpResponseChecker extends StreamChecker {

    /** What one request must get back. */
    record Expected(String request, int status, byte[] body) {
    }

    private final BlockingQueue<Expected> expected = new LinkedBlockingQueue<>();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile boolean mismatch;

    HttpResponseChecker(ClientTag tag, Violations violations) {
        super(tag, violations);
    }

    void expect(Expected e) {
        expected.add(e);
    }

    /** Starts reading after {@code stallMillis} (a client that stops reading for a while). */
    void start(Socket socket, long stallMillis) throws IOException {
        start(new BufferedInputStream(socket.getInputStream(), 16 * 1024), stallMillis);
    }

    @Override
    String readAll(InputStream in) throws IOException {
        while (true) {
            RawResponse r = HttpResponseReader.read(in, false);
            if (r == null) {
                return "end of stream";
            }
            if (r.header("Content-Length") == null) {
                violations.add("HTTP response without Content-Length", tag + ": " + r.statusLine());
                mismatch = true;
                return "no Content-Length";
            }
            Expected e = expected.poll();
            if (e == null) {
                violations.add("HTTP response nobody asked for", tag + ": status " + r.status() + ", "
                        + r.body().length + " body bytes after " + answered.get() + " answers");
                mismatch = true;
                return "extra response";
            }
            if (r.status() != e.status() || !java.util.Arrays.equals(r.body(), e.body())) {
                violations.add("HTTP response differs from the one its request asked for (order, status or bytes)",
                        tag + " answer #" + answered.get() + " to " + e.request() + ": want " + e.status() + "/"
                                + e.body().length + " bytes, got " + r.status() + "/" + r.body().length
                                + " bytes " + preview(r.body(), e.body()));
                mismatch = true;
                return "mismatch";
            }
            answered.incrementAndGet();
            progressed();
        }
    }

    private static String preview(byte[] got, byte[] want) {
        int i = 0;
        while (i < got.length && i < want.length && got[i] == want[i]) {
            i++;
        }
        int to = Math.min(got.length, i + 40);
        return "(first difference at byte " + i + ": \"" + new String(got, i, Math.max(0, to - i),
                StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", ".") + "\")";
    }

    /** Waits until {@code n} answers have been checked or reading ended; false on timeout. */
    boolean await(int n, long millis) throws InterruptedException {
        return await(answered::get, n, millis);
    }

    int answered() {
        return answered.get();
    }

    boolean mismatch() {
        return mismatch;
    }
}
