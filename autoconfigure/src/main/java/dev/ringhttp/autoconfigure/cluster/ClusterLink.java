package dev.ringhttp.autoconfigure.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Keeps this instance subscribed to the cluster's Redis channel and knows whether the link works, by
 * checking it end to end: every heartbeat interval it queues a heartbeat behind the broadcasts
 * ({@link ClusterPublisher#heartbeat()}) and expects it back through its own subscription.
 *
 * <p>One thread, {@code ringhttp-cluster-link}, owns the subscription and every transition:
 * <pre>
 * STOPPED ──start──▶ CONNECTING ──subscribed──▶ SUBSCRIBED ──own heartbeat back──▶ UP
 *                      ▲    │ subscribe failed                │ no heartbeat back   │ none back for
 *                      │    ▼                                 ▼ within the timeout  ▼ the timeout
 *                      └─ DOWN ◀──────────────────────────────┴─────────────────────┘
 *                   (after a back-off)   the subscription is closed on the way down
 * </pre>
 * The timeout is {@value ClusterConfig#MISSED_HEARTBEATS_DOWN} heartbeat intervals. The back-off starts at
 * {@link Backoff#INITIAL} and doubles up to {@code ringhttp.cluster.max-reconnect-delay}; it starts over
 * once the link is up. Each subscription is a new connection, so recovery does not depend on what the
 * Redis client does with a connection it lost. Going down is logged once at WARN, coming back once at
 * INFO; the attempts in between at DEBUG. The Redis client's thread only records that a heartbeat came
 * back and wakes this thread ({@link #heartbeatReturned()}); the event loop never waits for any of it.
 */
final class ClusterLink {

    private static final Log LOG = LogFactory.getLog(ClusterLink.class);

    private final RedisConnectionFactory redis;
    private final ClusterReceiver receiver;
    private final ClusterPublisher publisher;
    private final ClusterCounters counters;
    private final String channelName;
    private final byte[] channel;
    private final String instanceId;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final Backoff backoff;
    private final Thread thread;
    private final AtomicLong heartbeatsBack = new AtomicLong();
    private volatile long lastHeartbeatBackNanos;
    private volatile LinkState state = LinkState.STOPPED;
    private volatile long stateSinceNanos = System.nanoTime();
    private volatile @Nullable String problem;
    private volatile boolean running;

    // Link thread only:
    private @Nullable RedisConnection subscription;
    private long subscribedAtNanos;
    private long heartbeatsBackAtSubscribe;
    private long nextHeartbeatNanos;
    private long retryAtNanos;
    private boolean downLogged;
    private long downSinceNanos;

    ClusterLink(RedisConnectionFactory redis, ClusterReceiver receiver, ClusterPublisher publisher,
            ClusterCounters counters, ClusterConfig config) {
        this.redis = redis;
        this.receiver = receiver;
        this.publisher = publisher;
        this.counters = counters;
        this.channelName = config.redisChannel();
        this.channel = channelName.getBytes(StandardCharsets.UTF_8);
        this.instanceId = config.instanceId();
        this.intervalNanos = config.heartbeatInterval().toNanos();
        this.timeoutNanos = config.heartbeatTimeout().toNanos();
        this.backoff = new Backoff(config.maxReconnectDelay(), () -> ThreadLocalRandom.current().nextDouble());
        this.thread = new Thread(this::run, "ringhttp-cluster-link");
        this.thread.setDaemon(true);
    }

    LinkState state() {
        return state;
    }

    /** How long the link has been in its state. */
    Duration stateAge() {
        return Duration.ofNanos(System.nanoTime() - stateSinceNanos);
    }

    /** Why the link last went down; null until it first does. */
    @Nullable String problem() {
        return problem;
    }

    /** How long ago this instance's heartbeat last came back; null if none has yet. */
    @Nullable Duration sinceLastHeartbeat() {
        return heartbeatsBack.get() == 0 ? null : Duration.ofNanos(System.nanoTime() - lastHeartbeatBackNanos);
    }

    /** On the Redis client's thread: this instance's heartbeat made the round trip. */
    void heartbeatReturned() {
        lastHeartbeatBackNanos = System.nanoTime();
        heartbeatsBack.incrementAndGet();
        if (state != LinkState.UP) {
            LockSupport.unpark(thread); // report it at once rather than at the next interval
        }
    }

    void start() {
        running = true;
        thread.start();
    }

    /** Closes the subscription and ends the thread, waiting up to {@code timeout} for it. */
    void stop(Duration timeout) {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        transition(LinkState.CONNECTING);
        try {
            while (running) {
                long now = System.nanoTime();
                long waitNanos = switch (state) {
                    case CONNECTING -> connect(now);
                    case SUBSCRIBED, UP -> check(now);
                    case DOWN -> retryIfDue(now);
                    case STOPPED -> 0;
                };
                if (waitNanos > 0 && running) {
                    LockSupport.parkNanos(this, waitNanos);
                }
            }
        } finally {
            closeSubscription();
            transition(LinkState.STOPPED);
        }
    }

    /** CONNECTING: subscribes on a new connection; returns how long to wait before the next step. */
    private long connect(long now) {
        RedisConnection c = null;
        try {
            c = redis.getConnection();
            c.subscribe(receiver, channel);
        } catch (RuntimeException e) {
            close(c);
            return down(now, "subscribing to " + channelName + " failed: " + e.getMessage());
        }
        subscription = c;
        subscribedAtNanos = now;
        heartbeatsBackAtSubscribe = heartbeatsBack.get();
        nextHeartbeatNanos = now;
        counters.countSubscription();
        transition(LinkState.SUBSCRIBED);
        return 0;
    }

    /** SUBSCRIBED or UP: sends the heartbeat when due and judges the link by the last one back. */
    private long check(long now) {
        if (now - nextHeartbeatNanos >= 0) {
            publisher.heartbeat(); // a full queue skips it: the link is lagging, and a late heartbeat tells so
            nextHeartbeatNanos = now + intervalNanos;
        }
        boolean backSinceSubscribing = heartbeatsBack.get() > heartbeatsBackAtSubscribe;
        long last = backSinceSubscribing ? lastHeartbeatBackNanos : subscribedAtNanos;
        if (now - last > timeoutNanos) {
            return down(now, backSinceSubscribing
                    ? "no heartbeat came back through Redis for " + Duration.ofNanos(now - last).toMillis() + " ms"
                    : "subscribed, but the heartbeat did not come back through Redis within "
                            + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
        }
        if (backSinceSubscribing && state != LinkState.UP) {
            up(now);
        }
        return Math.min(nextHeartbeatNanos - now, last + timeoutNanos - now + 1);
    }

    /** DOWN: subscribes again once the back-off has passed. */
    private long retryIfDue(long now) {
        if (now - retryAtNanos >= 0) {
            transition(LinkState.CONNECTING);
            return 0;
        }
        return retryAtNanos - now;
    }

    private long down(long now, String why) {
        closeSubscription();
        problem = why;
        long wait = backoff.nextNanos();
        retryAtNanos = now + wait;
        if (!downLogged) {
            downLogged = true;
            downSinceNanos = now;
            LOG.warn("ringhttp cluster: the link to Redis is down (" + why + "). Broadcasts reach this instance's"
                    + " clients only until it is back; retrying with back-off, logged again when it recovers.");
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("ringhttp cluster: still down (" + why + "); next attempt in " + wait / 1_000_000 + " ms");
        }
        transition(LinkState.DOWN);
        return wait;
    }

    private void up(long now) {
        backoff.reset();
        if (downLogged) {
            downLogged = false;
            LOG.info("ringhttp cluster: the link to Redis is back after " + (now - downSinceNanos) / 1_000_000
                    + " ms; " + counters.failed() + " broadcasts failed and " + counters.dropped()
                    + " messages were dropped since start");
        } else {
            LOG.info("ringhttp cluster: broadcasts are shared through Redis channel " + channelName
                    + " as instance " + instanceId);
        }
        transition(LinkState.UP);
    }

    private void transition(LinkState next) {
        if (state != next) {
            state = next;
            stateSinceNanos = System.nanoTime();
        }
    }

    private void closeSubscription() {
        RedisConnection c = subscription;
        subscription = null;
        close(c);
    }

    private static void close(@Nullable RedisConnection c) {
        if (c != null) {
            try {
                c.close(); // unsubscribes without waiting for Redis, and closes the pub/sub connection
            } catch (RuntimeException e) {
                LOG.debug("closing a Redis subscription failed", e);
            }
        }
    }
}
