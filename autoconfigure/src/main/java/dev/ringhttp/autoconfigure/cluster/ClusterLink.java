package dev.ringhttp.autoconfigure.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Keeps this instance subscribed to the cluster's Redis channel and knows whether the link works, by
 * checking it end to end: every heartbeat interval it queues a numbered heartbeat behind the broadcasts
 * ({@link ClusterPublisher#heartbeat()}) and expects it back through its own subscription
 * ({@link Heartbeats}).
 *
 * <p>One thread, {@code ringhttp-cluster-link}, owns the subscription and every transition:
 * <pre>
 *  STOPPED ─start─▶ CONNECTING ─subscribed─▶ SUBSCRIBED ─a heartbeat back─▶ UP ◀──┐
 *                    ▲     │ subscribing failed   │ none back within the timeout │ │ one back
 *                    │     ▼                      ▼                              ▼ │
 *        back-off ── DOWN ◀── a heartbeat Redis confirmed ──────────────────── LAGGING
 *        passed              never came back (from SUBSCRIBED, UP or LAGGING)
 * </pre>
 * The timeout is {@value ClusterConfig#MISSED_HEARTBEATS_DOWN} heartbeat intervals. LAGGING means the
 * heartbeats are late because publishing fails or lags (Redis down or slow, or a long publish queue):
 * the subscription is kept, for subscribing again would not help, and the Redis client reconnects it
 * by itself once Redis is back. DOWN means the subscription itself failed: it is closed, and a new one
 * is made on a new connection after a back-off, which starts at {@link Backoff#INITIAL} and doubles up
 * to {@code ringhttp.cluster.max-reconnect-delay}, and starts over once the link is up. So recovery
 * does not depend on what the Redis client does with a connection it lost, and a busy link is never
 * torn down (which would lose messages) merely for being slow.
 *
 * <p>Leaving UP is logged once at WARN (at most once a minute), coming back once at INFO; the attempts in
 * between at DEBUG. The first heartbeat after start-up gets {@link #FIRST_HEARTBEAT_GRACE_NANOS} rather than
 * the timeout, for the JIT and the first connections.
 * The Redis client's thread only records that a heartbeat came back and wakes this thread
 * ({@link #heartbeatReturned()}); the event loop never waits for any of it.
 */
final class ClusterLink {

    private static final Log LOG = LogFactory.getLog(ClusterLink.class);

    /** How long the first heartbeat after start-up may take before the link counts as lagging. */
    static final long FIRST_HEARTBEAT_GRACE_NANOS = 10_000_000_000L;

    private final RedisConnectionFactory redis;
    private final ClusterReceiver receiver;
    private final ClusterPublisher publisher;
    private final Heartbeats heartbeats;
    private final ClusterCounters counters;
    private final String channelName;
    private final byte[] channel;
    private final String instanceId;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final Backoff backoff;
    private final RateLimitedLog troubleLog = new RateLimitedLog(LOG);
    private final Thread thread;
    private volatile LinkState state = LinkState.STOPPED;
    private volatile long stateSinceNanos = System.nanoTime();
    private volatile @Nullable String problem;
    private volatile boolean running;

    // Link thread only:
    private @Nullable RedisConnection subscription;
    private long subscribedAtNanos;
    private long nextHeartbeatNanos;
    private long retryAtNanos;
    private boolean inTrouble;
    private boolean troubleWarned;
    private long troubleSinceNanos;
    private boolean everUp;

    ClusterLink(RedisConnectionFactory redis, ClusterReceiver receiver, ClusterPublisher publisher,
            Heartbeats heartbeats, ClusterCounters counters, ClusterConfig config) {
        this.redis = redis;
        this.receiver = receiver;
        this.publisher = publisher;
        this.heartbeats = heartbeats;
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

    /** Why the link last left UP; null until it first does. */
    @Nullable String problem() {
        return problem;
    }

    /** How long ago this instance's latest heartbeat came back; null if none has yet. */
    @Nullable Duration sinceLastHeartbeat() {
        return heartbeats.anyBack() ? Duration.ofNanos(System.nanoTime() - heartbeats.lastBackNanos()) : null;
    }

    /** On the Redis client's thread, after a heartbeat came back: judge the link now rather than at the next check. */
    void heartbeatReturned() {
        if (state != LinkState.UP) {
            LockSupport.unpark(thread);
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
                    case SUBSCRIBED, UP, LAGGING -> check(now);
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
        nextHeartbeatNanos = now;
        heartbeats.subscribed();
        counters.countSubscription();
        transition(LinkState.SUBSCRIBED);
        return 0;
    }

    /** SUBSCRIBED, UP or LAGGING: sends the heartbeat when due and judges the link by what came back. */
    private long check(long now) {
        if (now - nextHeartbeatNanos >= 0) {
            publisher.heartbeat(); // a full queue skips it: the link lags, and the missing heartbeat tells so
            nextHeartbeatNanos = now + intervalNanos;
        }
        if (heartbeats.lostLongerThan(timeoutNanos, now)) {
            return down(now, "a heartbeat Redis accepted did not come back through the subscription within "
                    + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
        }
        boolean back = heartbeats.backSinceSubscribing();
        long since = back ? heartbeats.lastBackNanos() : subscribedAtNanos;
        // The very first heartbeat also waits for the JIT and the first connections: it gets longer.
        long allowed = back || everUp ? timeoutNanos : Math.max(timeoutNanos, FIRST_HEARTBEAT_GRACE_NANOS);
        if (back && now - since <= timeoutNanos) {
            if (state != LinkState.UP) {
                up(now);
            }
        } else if (now - since > allowed && state != LinkState.LAGGING) {
            trouble(now, back ? "no heartbeat came back through Redis for " + (now - since) / 1_000_000
                    + " ms: publishing fails or lags"
                    : "subscribed, but no heartbeat came back through Redis within "
                            + Duration.ofNanos(timeoutNanos).toMillis() + " ms: publishing fails or lags");
            transition(LinkState.LAGGING);
        }
        return Math.max(1, Math.min(nextHeartbeatNanos - now, intervalNanos));
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
        trouble(now, why);
        long wait = backoff.nextNanos();
        retryAtNanos = now + wait;
        if (LOG.isDebugEnabled()) {
            LOG.debug("ringhttp cluster: next subscription attempt in " + wait / 1_000_000 + " ms");
        }
        transition(LinkState.DOWN);
        return wait;
    }

    /**
     * Records why the link is not up. The first time since it was last up it is logged at WARN, but at most
     * once a minute, so that a link flapping under load does not log in a loop; then at DEBUG.
     */
    private void trouble(long now, String why) {
        problem = why;
        if (!inTrouble) {
            inTrouble = true;
            troubleSinceNanos = now;
            troubleWarned = troubleLog.warn("ringhttp cluster: the link to Redis is not working (" + why + ")."
                    + " Broadcasts reach this instance's clients, the other instances miss them until it works"
                    + " again; retrying, and logged again when it recovers.");
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("ringhttp cluster: still not working: " + why);
        }
    }

    private void up(long now) {
        backoff.reset();
        if (inTrouble) {
            inTrouble = false;
            String message = "ringhttp cluster: the link to Redis works again after "
                    + (now - troubleSinceNanos) / 1_000_000 + " ms; since start " + counters.failed()
                    + " broadcasts failed to publish and " + counters.dropped() + " messages were dropped";
            if (troubleWarned) {
                LOG.info(message);
            } else if (LOG.isDebugEnabled()) {
                LOG.debug(message);
            }
        } else if (!everUp) {
            LOG.info("ringhttp cluster: broadcasts are shared through Redis channel " + channelName
                    + " as instance " + instanceId);
        }
        everUp = true;
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
