package dev.ringhttp.core.adversarial;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads one HTTP connection's responses on a thread of its own and checks each, in order, against
 * the request that asked for it: status and body byte for byte. Pipelined responses must come in
 * request order, none lost, none extra, none carrying another handler's staged bytes.
 */
final class HttpResponseChecker {

    /** What one request must get back. */
    record Expected(String request, int status, byte[] body) {
    }

    private final ClientTag tag;
    private final Violations violations;
    private final BlockingQueue<Expected> expected = new LinkedBlockingQueue<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final Object progress = new Object();
    private volatile String end;
    private volatile boolean mismatch;
    private volatile boolean closingLocally;
    private Thread thread;

    HttpResponseChecker(ClientTag tag, Violations violations) {
        this.tag = tag;
        this.violations = violations;
    }

    void expect(Expected e) {
        expected.add(e);
    }

    /** Starts reading after {@code stallMillis} (a client that stops reading for a while). */
    void start(Socket socket, long stallMillis) {
        thread = new Thread(() -> run(socket, stallMillis), "adv-http-reader-" + tag);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Socket socket, long stallMillis) {
        SplitWriter.pause(stallMillis);
        String how;
        try {
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
            while (true) {
                HttpWire.Response r = HttpWire.read(in);
                if (r == null) {
                    how = "end of stream";
                    break;
                }
                Expected e = expected.poll();
                if (e == null) {
                    violations.add("HTTP response nobody asked for", tag + ": status " + r.status() + ", "
                            + r.body().length + " body bytes after " + answered.get() + " answers");
                    mismatch = true;
                    how = "extra response";
                    break;
                }
                if (r.status() != e.status() || !java.util.Arrays.equals(r.body(), e.body())) {
                    violations.add("HTTP response differs from the one its request asked for (order, status or bytes)",
                            tag + " answer #" + answered.get() + " to " + e.request() + ": want " + e.status() + "/"
                                    + e.body().length + " bytes, got " + r.status() + "/" + r.body().length
                                    + " bytes " + preview(r.body(), e.body()));
                    mismatch = true;
                    how = "mismatch";
                    break;
                }
                answered.incrementAndGet();
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        } catch (SocketException e) {
            how = closingLocally ? "closed locally" : "reset (" + e.getMessage() + ")";
        } catch (IOException | RuntimeException e) {
            how = closingLocally ? "closed locally" : e.toString();
        }
        end = how;
        synchronized (progress) {
            progress.notifyAll();
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
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (progress) {
            while (answered.get() < n && end == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                progress.wait(left);
            }
        }
        return true;
    }

    int answered() {
        return answered.get();
    }

    /** Null while reading; else how reading ended. */
    String end() {
        return end;
    }

    boolean mismatch() {
        return mismatch;
    }

    /** The session is about to close the socket itself: what the reader sees next is not the server's doing. */
    void closingLocally() {
        closingLocally = true;
    }

    void join(long millis) throws InterruptedException {
        if (thread != null) {
            thread.join(millis);
        }
    }
}
