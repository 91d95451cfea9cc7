package dev.ringhttp.autoconfigure.cluster;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;

/**
 * A warning about something that can repeat for as long as a fault lasts (malformed messages on the
 * channel, say): logged at WARN at most once per {@link #INTERVAL_NANOS}, with how many times it
 * happened since, and at DEBUG the rest of the time. Safe from any thread.
 */
final class RateLimitedLog {

    static final long INTERVAL_NANOS = 60_000_000_000L;

    private final Log log;
    private final AtomicLong lastWarned = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Log log) {
        this.log = log;
    }

    /** Logs {@code message}; returns whether at WARN (else at DEBUG). */
    boolean warn(String message) {
        long now = System.nanoTime();
        long last = lastWarned.get();
        if (now - last >= INTERVAL_NANOS && lastWarned.compareAndSet(last, now)) {
            long more = suppressed.getAndSet(0);
            log.warn(more == 0 ? message
                    : message + " (and " + more + " more like it in the last minute, logged at DEBUG)");
            return true;
        }
        suppressed.incrementAndGet();
        if (log.isDebugEnabled()) {
            log.debug(message);
        }
        return false;
    }
}
