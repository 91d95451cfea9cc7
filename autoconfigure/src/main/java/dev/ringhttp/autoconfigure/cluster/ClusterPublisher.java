package dev.ringhttp.autoconfigure.cluster;

import dev.ringhttp.autoconfigure.websocket.BroadcastRelay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisPipelineException;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;

/**
 * Publishes this instance's broadcasts to Redis, off the event loop.
 *
 * <p>The loop only offers each broadcast to a bounded queue ({@link #relay}): it never waits, never
 * talks to Redis and never logs. A full queue drops the broadcast for the other instances and counts
 * it ({@link DropReason#PUBLISH_QUEUE_FULL}); the local clients have it already. One thread, the
 * publisher, takes what is queued in batches of up to {@value #BATCH} and publishes each batch
 * pipelined on one connection of its own. One queue, one thread, one connection, and Redis executing
 * one connection's commands in order: the other instances receive this instance's broadcasts in the
 * order the loop queued them, which is the order its own clients got them.
 *
 * <p>States of the publisher thread: <em>publishing</em>; <em>failing</em> after Redis refused a batch
 * or could not be reached: the batch counts as failed, the connection is closed, and the thread waits
 * a {@link Backoff} before it tries the next batch with a new connection (meanwhile broadcasts queue up
 * to the capacity, then drop). Each change of state is logged once; drops for a full queue at most once a
 * minute.
 * How long one attempt may take is Redis's command timeout ({@code spring.data.redis.timeout}).
 *
 * <p>Memory: at most the queue's capacity plus one batch of broadcasts, each at most the WebSocket
 * message limit (larger ones are dropped as {@link DropReason#OVERSIZE} before they are queued).
 */
final class ClusterPublisher implements BroadcastRelay {

    private static final Log LOG = LogFactory.getLog(ClusterPublisher.class);

    /** Broadcasts published per pipeline: one round trip to Redis each. */
    static final int BATCH = 64;

    /** How long the idle thread waits for work before it looks at the drop counter again. */
    private static final long IDLE_POLL_MILLIS = 200;

    /** Stands for the link's heartbeat in the queue; compared by identity. */
    private static final Broadcast HEARTBEAT = new Broadcast(null, new byte[0], false);

    private final RedisConnectionFactory redis;
    private final EnvelopeCodec codec;
    private final byte[] channel;
    private final ClusterCounters counters;
    private final Heartbeats heartbeats;
    private final ArrayBlockingQueue<Broadcast> queue;
    private final Backoff backoff;
    private final RateLimitedLog queueFullLog = new RateLimitedLog(LOG);
    private final Thread thread;
    private volatile boolean running;

    // Publisher thread only:
    private @Nullable RedisConnection connection;
    private boolean failing;
    private long failedWhileFailing;
    private long dropsSeen;

    ClusterPublisher(RedisConnectionFactory redis, EnvelopeCodec codec, ClusterConfig config,
            ClusterCounters counters, Heartbeats heartbeats) {
        this.redis = redis;
        this.codec = codec;
        this.channel = config.redisChannel().getBytes(StandardCharsets.UTF_8);
        this.counters = counters;
        this.heartbeats = heartbeats;
        this.queue = new ArrayBlockingQueue<>(config.publishQueueCapacity());
        this.backoff = new Backoff(config.maxReconnectDelay(), () -> ThreadLocalRandom.current().nextDouble());
        this.thread = new Thread(this::run, "ringhttp-cluster-publisher");
        this.thread.setDaemon(true);
    }

    /** On the event loop: queues the broadcast for the other instances, or drops and counts it. */
    @Override
    public void relay(Broadcast broadcast) {
        if (!running) {
            return; // stopped (or not started): this instance is leaving or not in the cluster yet
        }
        if (broadcast.payload().length > codec.maxPayloadLength()) {
            counters.countDropped(DropReason.OVERSIZE);
        } else if (!queue.offer(broadcast)) {
            counters.countDropped(DropReason.PUBLISH_QUEUE_FULL);
        }
    }

    /**
     * Queues the link's heartbeat behind the broadcasts; false when the queue is full. It is numbered when
     * published, and Redis's confirmation is reported to the {@link Heartbeats}.
     */
    boolean heartbeat() {
        return running && queue.offer(HEARTBEAT);
    }

    /** Broadcasts waiting now. */
    int queued() {
        return queue.size();
    }

    void start() {
        running = true;
        thread.start();
    }

    /**
     * Stops taking broadcasts, publishes what is queued for up to {@code drain}, then ends the thread
     * and closes its connection.
     */
    void stop(Duration drain) {
        running = false;
        try {
            thread.join(Math.max(1, drain.toMillis()));
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(drain.toMillis() + 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Broadcast> batch = new ArrayList<>(BATCH);
        try {
            while (running || !queue.isEmpty()) {
                Broadcast first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    publish(batch);
                    batch.clear();
                }
                reportDrops();
            }
        } catch (InterruptedException e) {
            // stop() gave up waiting for the queue to drain
        } finally {
            closeConnection();
        }
    }

    private void publish(List<Broadcast> batch) throws InterruptedException {
        // One command per heartbeat and per broadcast that encodes, in batch order; heartbeatOf[i] is the
        // number of the heartbeat command i carries, 0 for a broadcast.
        List<byte[]> envelopes = new ArrayList<>(batch.size());
        long[] heartbeatOf = new long[batch.size()];
        int broadcasts = 0;
        for (Broadcast b : batch) {
            if (b == HEARTBEAT) {
                long number = heartbeats.assign();
                heartbeatOf[envelopes.size()] = number;
                envelopes.add(codec.heartbeat(number));
                continue;
            }
            try {
                envelopes.add(codec.encode(b.channel(), b.payload(), b.text()));
                broadcasts++;
            } catch (EnvelopeException e) {
                counters.countDropped(e.reason());
            }
        }
        if (envelopes.isEmpty()) {
            return;
        }
        List<@Nullable Object> results;
        try {
            RedisConnection c = connection();
            c.openPipeline();
            for (byte[] envelope : envelopes) {
                c.publish(channel, envelope);
            }
            results = c.closePipeline();
        } catch (RedisPipelineException e) {
            results = e.getPipelineResult();
            if (results.size() != envelopes.size()) {
                failed(broadcasts, e); // the pipeline failed as a whole (timed out): nothing is known published
                return;
            }
            // Redis executed some of the commands: count what it confirmed, where it answered each.
            int unconfirmed = confirm(results, heartbeatOf);
            counters.countPublished(broadcasts - unconfirmed);
            if (unconfirmed > 0) {
                failed(unconfirmed, e);
            } else {
                recovered();
            }
            return;
        } catch (RuntimeException e) {
            failed(broadcasts, e);
            return;
        }
        confirm(results, heartbeatOf);
        counters.countPublished(broadcasts);
        recovered();
    }

    /**
     * Tells the heartbeats which of theirs Redis confirmed, and returns the broadcasts it did not (an
     * exception in their place). A pipeline that succeeded answers every command with a count.
     */
    private int confirm(List<@Nullable Object> results, long[] heartbeatOf) {
        long now = System.nanoTime();
        int unconfirmed = 0;
        for (int i = 0; i < results.size(); i++) {
            boolean ok = !(results.get(i) instanceof Exception);
            if (heartbeatOf[i] != 0 && ok) {
                heartbeats.confirmed(heartbeatOf[i], now);
            } else if (heartbeatOf[i] == 0 && !ok) {
                unconfirmed++;
            }
        }
        return unconfirmed;
    }

    private RedisConnection connection() {
        RedisConnection c = connection;
        if (c == null || c.isClosed()) {
            c = redis.getConnection();
            if (c instanceof LettuceConnection lettuce) {
                // One write per batch rather than one per command (Spring Data's default): on loopback this
                // raised the publisher's rate from about 8,000 to about 70,000 broadcasts a second.
                lettuce.setPipeliningFlushPolicy(LettuceConnection.PipeliningFlushPolicy.flushOnClose());
            }
            connection = c;
        }
        return c;
    }

    private void closeConnection() {
        RedisConnection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the publisher's Redis connection failed", e);
            }
        }
    }

    /** A batch went wrong: counts it, starts a new connection next time, and waits the back-off. */
    private void failed(int broadcasts, RuntimeException cause) throws InterruptedException {
        counters.countFailed(broadcasts);
        closeConnection();
        if (!failing) {
            failing = true;
            failedWhileFailing = 0;
            LOG.warn("ringhttp cluster: publishing to Redis failed (" + NestedExceptionUtils.getMostSpecificCause(cause)
                    + "); broadcasts still"
                    + " reach this instance's clients, the other instances miss them until Redis is back."
                    + " Retrying with back-off; this is logged again when it recovers.");
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("publishing to Redis failed again", cause);
        }
        failedWhileFailing += broadcasts;
        long wait = backoff.nextNanos();
        long until = System.nanoTime() + wait;
        while (running && System.nanoTime() - until < 0) {
            LockSupport.parkNanos(this, Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void recovered() {
        backoff.reset();
        if (failing) {
            failing = false;
            LOG.info("ringhttp cluster: publishing to Redis works again; " + failedWhileFailing
                    + " broadcasts failed meanwhile");
        }
    }

    /**
     * Reports broadcasts dropped for a full queue, which the loop only counts: at WARN at most once a minute
     * (a queue that keeps filling and draining would otherwise log in a loop), at DEBUG otherwise.
     */
    private void reportDrops() {
        long drops = counters.dropped(DropReason.PUBLISH_QUEUE_FULL);
        if (drops > dropsSeen) {
            queueFullLog.warn("ringhttp cluster: the publish queue was full (" + (drops - dropsSeen) + " more broadcasts"
                    + " dropped, " + drops + " since start): they reached this instance's clients only. Redis is"
                    + " down or slower than the broadcasts (ringhttp.cluster.publish-queue-capacity, the meter"
                    + " ringhttp.cluster.messages.dropped with reason publish-queue-full)");
            dropsSeen = drops;
        }
    }
}
