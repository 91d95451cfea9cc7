package dev.ringhttp.autoconfigure.cluster;

import dev.ringhttp.autoconfigure.websocket.BroadcastRelay;
import dev.ringhttp.core.RingHttpServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * This instance's part in the cluster: shares the broadcasts made through the
 * {@link dev.ringhttp.autoconfigure.websocket.WebSocketMessenger} with the application's other
 * instances through one Redis pub/sub channel, and delivers theirs to its own clients.
 *
 * <ul>
 * <li>{@link ClusterPublisher}: the messenger's {@link BroadcastRelay}; publishes off the event loop
 *     from a bounded queue.
 * <li>{@link ClusterReceiver}: decodes what arrives and hands it to the event loop as a broadcast.
 * <li>{@link ClusterLink}: the subscription, its heartbeat and its recovery.
 * <li>{@link EnvelopeCodec}: the wire format.
 * </ul>
 *
 * Delivery is at most once: what is published while another instance is not subscribed (Redis down, that
 * instance reconnecting or starting) never reaches it, as with any Redis pub/sub. Sending to one session
 * stays on the session's instance.
 *
 * <p>Starts after the ringhttp server and stops before its graceful shutdown ({@link #PHASE}): a
 * received broadcast always finds the server running, and nothing arrives while it closes its
 * WebSockets. Stopping publishes what is still queued for up to {@link #STOP_DRAIN}.
 */
public final class RingHttpCluster implements SmartLifecycle, BroadcastRelay {

    /** After the web server's start and before its graceful shutdown ({@code SmartLifecycle.DEFAULT_PHASE - 1024}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    /** How long stopping may spend publishing what is still queued. */
    public static final Duration STOP_DRAIN = Duration.ofSeconds(2);

    private final ClusterConfig config;
    private final ClusterCounters counters = new ClusterCounters();
    private final EnvelopeCodec codec;
    private final ClusterPublisher publisher;
    private final ClusterReceiver receiver;
    private final ClusterLink link;
    private boolean started;
    private volatile boolean running;

    /**
     * @param channelIds the id of a channel from its name, -1 if this instance has none
     *                   ({@code WsEndpoints::channelId})
     */
    public RingHttpCluster(ClusterConfig config, RedisConnectionFactory redis, RingHttpServer server,
            ToIntFunction<String> channelIds) {
        this.config = config;
        this.codec = new EnvelopeCodec(config.instanceId(), new SecureRandom().nextLong(), config.maxMessageLength());
        Heartbeats heartbeats = new Heartbeats();
        this.publisher = new ClusterPublisher(redis, codec, config, counters, heartbeats);
        this.receiver = new ClusterReceiver(codec, server, channelIds, counters, heartbeats,
                config.receiveQueueCapacity());
        this.link = new ClusterLink(redis, receiver, publisher, heartbeats, counters, config);
        receiver.reportTo(link);
    }

    /** On the event loop, for each broadcast made through the messenger: queues it for the other instances. */
    @Override
    public void relay(Broadcast broadcast) {
        publisher.relay(broadcast);
    }

    public ClusterConfig config() {
        return config;
    }

    public ClusterCounters counters() {
        return counters;
    }

    public LinkState state() {
        return link.state();
    }

    /** How long the link has been in its state. */
    public Duration stateAge() {
        return link.stateAge();
    }

    /** Why the link last went down; null if it never has. */
    public @Nullable String problem() {
        return link.problem();
    }

    /** How long ago this instance's heartbeat last came back through Redis; null if none has. */
    public @Nullable Duration sinceLastHeartbeat() {
        return link.sinceLastHeartbeat();
    }

    /** Broadcasts waiting to be published. */
    public int publishQueued() {
        return publisher.queued();
    }

    /** Received messages handed to the event loop and not yet broadcast. */
    public int receiveQueued() {
        return receiver.handedOver();
    }

    /** A random number drawn at start-up, in every envelope: tells this instance apart from one with its id. */
    public long incarnation() {
        return codec.incarnation();
    }

    /** Once: a stopped cluster is not started again (its threads have ended); a context restart builds a new one. */
    @Override
    public synchronized void start() {
        if (!started) {
            started = true;
            running = true;
            publisher.start();
            link.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            running = false;
            link.stop(STOP_DRAIN);
            publisher.stop(STOP_DRAIN);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
