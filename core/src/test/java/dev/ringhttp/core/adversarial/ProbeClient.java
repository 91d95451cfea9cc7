package dev.ringhttp.core.adversarial;

import dev.ringhttp.core.testing.HttpResponseReader;
import dev.ringhttp.core.testing.RawResponse;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * The liveness invariant: a separate client asks a fast route every ~100 ms and must be answered
 * within {@link #BOUND_MILLIS}, whatever the other clients do. A loop that died, hangs in a write or
 * spins on one connection fails this within the bound. Its connection may be evicted from a full
 * pool, as often as it happens; it then reconnects, and every reconnect counts against the same bound.
 */
final class ProbeClient implements Runnable {

    static final long BOUND_MILLIS = 2_000;
    private static final long PERIOD_MILLIS = 100;

    private final ClientContext ctx;
    private final byte[] expected = AdversarialHandlers.PROBE_BYTES;
    private volatile boolean running = true;
    private volatile long answers;
    private volatile long worstMillis;
    private int connection;
    private Thread thread;

    ProbeClient(ClientContext ctx) {
        this.ctx = ctx;
    }

    void start() {
        thread = new Thread(this, "adv-probe");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        Socket s = null;
        InputStream in = null;
        String tag = null;
        while (running) {
            long start = System.nanoTime();
            boolean answered = false;
            // Tries until the bound: the pool evicts round-robin when full, so under heavy churn even a
            // fresh connection may be evicted before its request is read; each eviction costs a reconnect.
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
            while (!answered && running && System.nanoTime() - deadline < 0) {
                try {
                    if (s == null) {
                        tag = new ClientTag(-1, connection++, false, false).text();
                        s = ctx.sockets.connect(0);
                        in = new BufferedInputStream(s.getInputStream());
                    }
                    s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    s.getOutputStream().write(Payloads.get("/p/" + tag));
                    RawResponse r = HttpResponseReader.read(in, false);
                    if (r == null) {
                        throw new IOException("closed");
                    }
                    if (r.status() != 200 || !java.util.Arrays.equals(r.body(), expected)) {
                        ctx.violations.add("probe got a wrong answer", r.status() + " " + new String(r.body(),
                                java.nio.charset.StandardCharsets.ISO_8859_1));
                    }
                    answered = true;
                } catch (java.net.SocketTimeoutException e) {
                    break;
                } catch (IOException e) {
                    if (s != null) {
                        ctx.sockets.close(s, false);
                    }
                    s = null;
                }
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            worstMillis = Math.max(worstMillis, took);
            if (!answered && running) {
                ctx.violations.add("probe not answered within " + BOUND_MILLIS + " ms (loop dead, stuck or spinning)",
                        "after " + answers + " answers; waited " + took + " ms");
                if (s != null) {
                    ctx.sockets.close(s, false);
                    s = null;
                }
            }
            if (answered) {
                answers++;
            }
            SplitWriter.pause(PERIOD_MILLIS);
        }
        if (s != null) {
            ctx.sockets.close(s, false);
        }
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(BOUND_MILLIS + 1_000);
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    long answers() {
        return answers;
    }

    long worstMillis() {
        return worstMillis;
    }
}
