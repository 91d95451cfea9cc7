package dev.ringhttp.core.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition that another thread (the server's loop) makes true. */
public final class Await {

    private static final long POLL_MILLIS = 2;

    private Await() {
    }

    /** Whether {@code condition} held within {@code timeoutMillis}, checked every 2 ms. */
    public static boolean holds(BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    /** Waits up to 10 s for {@code condition}; fails naming {@code what} otherwise. */
    public static void until(BooleanSupplier condition, String what) throws InterruptedException {
        if (!holds(condition, 10_000)) {
            throw new AssertionError("timed out after 10 s waiting for " + what);
        }
    }
}
