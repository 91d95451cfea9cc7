package dev.ringhttp.core.adversarial;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The reading half of one client: a thread of its own that reads what the server sends, checks it as
 * it comes and records how the stream ended; the writing half waits on its progress.
 *
 * <p>Progress is bytes arriving, not only whole answers: a client whose receive window is below one
 * segment (the stalled clients' 4 KiB buffers) gets the bytes already in the server's kernel at
 * the pace of TCP's persist timer, a window every 200 ms or so, long after the server has written
 * and even closed the connection. That is the kernel's flow control, not a stuck server: a wait
 * fails only when nothing at all arrives for its whole length, or after {@link #MAX_WAIT_MILLIS}.
 */
abstract class StreamChecker {

    /** However steadily bytes trickle in, a wait ends here: a server that never answers is still found. */
    static final long MAX_WAIT_MILLIS = 90_000;

    final ClientTag tag;
    final Violations violations;
    private final Object progress = new Object();
    private volatile String end;
    /** {@link System#nanoTime()} when the last bytes arrived. */
    private volatile long lastBytesNanos = System.nanoTime();
    private volatile boolean closingLocally;
    private Thread thread;

    StreamChecker(ClientTag tag, Violations violations) {
        this.tag = tag;
        this.violations = violations;
    }

    /** Starts reading {@code in} after {@code stallMillis} (a client that stops reading for a while). */
    final void start(InputStream in, long stallMillis) {
        thread = new Thread(() -> run(in, stallMillis), "adv-reader-" + tag);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(InputStream in, long stallMillis) {
        SplitWriter.pause(stallMillis);
        lastBytesNanos = System.nanoTime();
        String how;
        try {
            how = readAll(new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        lastBytesNanos = System.nanoTime();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        lastBytesNanos = System.nanoTime();
                    }
                    return n;
                }
            });
        } catch (SocketException e) {
            how = closingLocally ? "closed locally" : "reset (" + e.getMessage() + ")";
        } catch (IOException | RuntimeException e) {
            how = closingLocally ? "closed locally" : e.toString();
        }
        end = how;
        progressed();
    }

    /** Reads and checks until the stream ends or breaks a rule; returns how reading ended. */
    abstract String readAll(InputStream in) throws IOException;

    /** Wakes whoever waits in {@link #await}. */
    final void progressed() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /**
     * Waits until {@code count} reaches {@code n} or reading ended; false when no byte arrived for
     * {@code millis}, or after {@link #MAX_WAIT_MILLIS} in all.
     */
    final boolean await(IntSupplier count, int n, long millis) throws InterruptedException {
        long start = System.nanoTime();
        long quiet = TimeUnit.MILLISECONDS.toNanos(millis);
        long cap = start + TimeUnit.MILLISECONDS.toNanos(Math.max(millis, MAX_WAIT_MILLIS));
        synchronized (progress) {
            while (count.getAsInt() < n && end == null) {
                long now = System.nanoTime();
                long deadline = Math.min(cap, Math.max(start, lastBytesNanos) + quiet);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - now);
                if (left <= 0) {
                    return false;
                }
                // Woken by whole answers only: look again at least every second for bytes in between.
                progress.wait(Math.min(left, 1_000));
            }
        }
        return true;
    }

    /** Milliseconds since the last bytes arrived, for a report. */
    final long quietMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBytesNanos);
    }

    /** Null while reading; else how reading ended. */
    final String end() {
        return end;
    }

    /** The session is about to close the socket itself: what the reader sees next is not the server's doing. */
    final void closingLocally() {
        closingLocally = true;
    }

    /** The reader thread's state and where it is, for a report of a stream that seems stuck. */
    final String describeReader() {
        Thread t = thread;
        if (t == null) {
            return "reader not started";
        }
        StringBuilder sb = new StringBuilder("reader ").append(t.getState()).append(", end ").append(end);
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(4, frames.length); i++) {
            sb.append(i == 0 ? " at " : " < ").append(frames[i]);
        }
        return sb.toString();
    }

    final void join(long millis) throws InterruptedException {
        if (thread != null) {
            thread.join(millis);
        }
    }
}
