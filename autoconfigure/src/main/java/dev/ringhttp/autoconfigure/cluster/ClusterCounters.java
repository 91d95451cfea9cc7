package dev.ringhttp.autoconfigure.cluster;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the cluster link has done since start, readable from any thread: the health indicator and the
 * {@code ringhttp.cluster.*} meters read these. Written by the event loop (a full publish queue), the
 * publisher thread and the Redis client's thread.
 */
public final class ClusterCounters {

    private final LongAdder published = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder subscriptions = new LongAdder();
    private final Map<DropReason, LongAdder> dropped = new EnumMap<>(DropReason.class);

    ClusterCounters() {
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, new LongAdder());
        }
    }

    void countPublished(int messages) {
        published.add(messages);
    }

    void countReceived() {
        received.increment();
    }

    void countFailed(int messages) {
        failed.add(messages);
    }

    void countDropped(DropReason reason) {
        dropped.get(reason).increment();
    }

    void countSubscription() {
        subscriptions.increment();
    }

    /** Broadcasts Redis accepted from this instance. */
    public long published() {
        return published.sum();
    }

    /** Broadcasts from other instances handed to this instance's event loop for its clients. */
    public long received() {
        return received.sum();
    }

    /** Broadcasts whose publishing failed (Redis down, refusing or timing out): the other instances never get them. */
    public long failed() {
        return failed.sum();
    }

    /** Messages dropped for {@code reason}. */
    public long dropped(DropReason reason) {
        return dropped.get(reason).sum();
    }

    /** Messages dropped for any reason. */
    public long dropped() {
        long sum = 0;
        for (LongAdder d : dropped.values()) {
            sum += d.sum();
        }
        return sum;
    }

    /** Times the link subscribed to the Redis channel: once at start, once more after each recovery. */
    public long subscriptions() {
        return subscriptions.sum();
    }
}
