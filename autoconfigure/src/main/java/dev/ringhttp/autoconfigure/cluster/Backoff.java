package dev.ringhttp.autoconfigure.cluster;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before the next attempt to reach Redis: {@link #INITIAL} after the first failure, doubling
 * after each further one up to a maximum, back to the start after a success. Each wait is spread by
 * up to a fifth either way, so instances that lost Redis together do not all come back in step.
 */
final class Backoff {

    /** The first wait. */
    static final Duration INITIAL = Duration.ofMillis(100);

    /** How far a wait may stray from its nominal value, either way, as a fraction of it. */
    static final double SPREAD = 0.2;

    private final long maxNanos;
    private final DoubleSupplier random;
    private long nominalNanos;

    /** @param random uniform in [0, 1): {@code ThreadLocalRandom.current()::nextDouble}, or fixed in a test */
    Backoff(Duration max, DoubleSupplier random) {
        this.maxNanos = Math.max(max.toNanos(), INITIAL.toNanos());
        this.random = random;
    }

    /** The wait after one more failure, in nanoseconds. */
    long nextNanos() {
        nominalNanos = nominalNanos == 0 ? INITIAL.toNanos() : Math.min(maxNanos, nominalNanos * 2);
        double factor = 1 - SPREAD + 2 * SPREAD * random.getAsDouble();
        return (long) (nominalNanos * factor);
    }

    /** After a success: the next failure waits {@link #INITIAL} again. */
    void reset() {
        nominalNanos = 0;
    }
}
