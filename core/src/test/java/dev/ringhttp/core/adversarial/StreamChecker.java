package dev.ringhttp.core.adversarial;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The reading half of one client: a thread of its own that reads what the server sends, checks it as
 * it comes and records how the stream ended; the writing half waits on its progress.
 */
abstract class StreamChecker {

    final ClientTag tag;
    final Violations violations;
    private final Object progress = new Object();
    private volatile String end;
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
        String how;
        try {
            how = readAll(in);
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

    /** Waits until {@code count} reaches {@code n} or reading ended; false on timeout. */
    final boolean await(IntSupplier count, int n, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (progress) {
            while (count.getAsInt() < n && end == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                progress.wait(left);
            }
        }
        return true;
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
