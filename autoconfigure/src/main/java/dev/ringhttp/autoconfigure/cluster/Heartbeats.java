package dev.ringhttp.autoconfigure.cluster;

/**
 * What the link knows of its heartbeats, each numbered: which Redis confirmed (the publisher thread
 * writes that) and which came back through the subscription (the Redis client's thread writes that).
 * Two questions follow, asked by the link's thread:
 * <ul>
 * <li>does the link work? A heartbeat came back recently ({@link #lastBackNanos()});
 * <li>is the subscription broken? A heartbeat that Redis confirmed it published has not come back
 *     for longer than the timeout ({@link #lostLongerThan}). Only then does subscribing again help:
 *     a heartbeat that is late because publishing fails or lags behind a long queue says nothing
 *     against the subscription.
 * </ul>
 * Heartbeats published before the current subscription existed may never come back, so those are not
 * held against it ({@link #subscribed()}). A heartbeat may come back before its confirmation is
 * recorded; both orders give the same answer. Each method runs once per heartbeat or check, so one
 * lock is plenty.
 */
final class Heartbeats {

    private long assigned;
    private long firstOfSubscription = 1;
    private long lastBack;
    private long lastBackNanos;
    /** The oldest heartbeat Redis confirmed that has not come back, 0 for none, and when it was confirmed. */
    private long unreturned;
    private long unreturnedSinceNanos;

    /** On the publisher thread: the number of the heartbeat about to be published. */
    synchronized long assign() {
        return ++assigned;
    }

    /** On the link's thread, once subscribed: heartbeats numbered before now are not expected back. */
    synchronized void subscribed() {
        firstOfSubscription = assigned + 1;
        unreturned = 0;
    }

    /** On the publisher thread: Redis accepted heartbeat {@code number} for its subscribers. */
    synchronized void confirmed(long number, long nowNanos) {
        if (number >= firstOfSubscription && number > lastBack && unreturned == 0) {
            unreturned = number;
            unreturnedSinceNanos = nowNanos;
        }
    }

    /** On the Redis client's thread: heartbeat {@code number} came back through the subscription. */
    synchronized void returned(long number, long nowNanos) {
        if (number > lastBack) {
            lastBack = number;
            lastBackNanos = nowNanos;
        }
        if (unreturned != 0 && number >= unreturned) {
            unreturned = 0;
        }
    }

    /** Whether a heartbeat published since the current subscription began has come back. */
    synchronized boolean backSinceSubscribing() {
        return lastBack >= firstOfSubscription;
    }

    /** When the latest heartbeat came back. Meaningful once {@link #backSinceSubscribing()} or earlier ones did. */
    synchronized long lastBackNanos() {
        return lastBackNanos;
    }

    /** Whether any heartbeat has come back yet. */
    synchronized boolean anyBack() {
        return lastBack > 0;
    }

    /** Whether a heartbeat Redis confirmed more than {@code timeoutNanos} ago has still not come back. */
    synchronized boolean lostLongerThan(long timeoutNanos, long nowNanos) {
        return unreturned != 0 && nowNanos - unreturnedSinceNanos > timeoutNanos;
    }
}
