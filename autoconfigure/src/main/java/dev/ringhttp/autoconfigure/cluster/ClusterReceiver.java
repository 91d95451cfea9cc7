package dev.ringhttp.autoconfigure.cluster;

import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.Staging;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;

/**
 * Delivers what other instances broadcast to this instance's clients. Runs on the Redis client's
 * thread, one message at a time in the order Redis sent them: decodes the envelope strictly, drops
 * (and counts) what is malformed, oversize, addressed to a channel this instance does not have, or
 * this instance's own, then hands the payload to the event loop, which stages it once in its ring and
 * broadcasts it like any local broadcast. One publisher's messages arrive here in its order, and the
 * loop runs its tasks in the order they were queued, so every local client receives them in that order.
 *
 * <p>The loop's task queue has no bound of its own, so this receiver keeps one: at most the receive
 * queue's capacity of messages handed over and not yet broadcast; one more is dropped
 * ({@link DropReason#RECEIVE_QUEUE_FULL}). Redis, for its part, disconnects a subscriber that falls
 * too far behind ({@code client-output-buffer-limit pubsub}).
 *
 * <p>This instance's own heartbeats are recorded ({@link Heartbeats}) for the {@link ClusterLink}; its own broadcasts, which
 * its clients had already, are ignored: no instance delivers its own broadcast twice.
 */
final class ClusterReceiver implements MessageListener {

    private static final Log LOG = LogFactory.getLog(ClusterReceiver.class);

    private final EnvelopeCodec codec;
    private final RingHttpServer server;
    private final ToIntFunction<String> channelIds;
    private final ClusterCounters counters;
    private final Heartbeats heartbeats;
    private final int capacity;
    private final AtomicInteger handedOver = new AtomicInteger();
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG);
    private final RateLimitedLog sameIdLog = new RateLimitedLog(LOG);
    private volatile @Nullable ClusterLink link;

    /** @param channelIds a channel's id from its name, -1 for none ({@code WsEndpoints::channelId}) */
    ClusterReceiver(EnvelopeCodec codec, RingHttpServer server, ToIntFunction<String> channelIds,
            ClusterCounters counters, Heartbeats heartbeats, int capacity) {
        this.codec = codec;
        this.server = server;
        this.channelIds = channelIds;
        this.counters = counters;
        this.heartbeats = heartbeats;
        this.capacity = capacity;
    }

    /** The link to wake when one of this instance's heartbeats comes back. */
    void reportTo(ClusterLink link) {
        this.link = link;
    }

    @Override
    public void onMessage(Message message, byte @Nullable [] pattern) {
        Envelope envelope;
        try {
            envelope = codec.decode(message.getBody());
        } catch (EnvelopeException e) {
            drop(e.reason(), e.getMessage());
            return;
        }
        if (codec.isOwn(envelope)) {
            if (envelope.kind() == MessageKind.HEARTBEAT) {
                heartbeats.returned(envelope.heartbeatNumber(), System.nanoTime());
                ClusterLink l = link;
                if (l != null) {
                    l.heartbeatReturned();
                }
            }
            return; // a broadcast of this instance's own: its clients got it when it was made
        }
        if (envelope.instanceId().equals(codec.instanceId())) {
            sameIdLog.warn("ringhttp cluster: another instance uses this instance's id '" + codec.instanceId()
                    + "' (ringhttp.cluster.instance-id); its broadcasts are delivered, but give each its own id");
        }
        if (envelope.kind() == MessageKind.HEARTBEAT) {
            return;
        }
        deliver(envelope);
    }

    private void deliver(Envelope envelope) {
        String channel = envelope.channel();
        int channelId = Staging.ALL_CHANNELS;
        if (channel != null) {
            channelId = channelIds.applyAsInt(channel);
            if (channelId < 0) {
                drop(DropReason.UNKNOWN_CHANNEL, "a broadcast from " + envelope.instanceId() + " to channel '"
                        + channel + "', which this instance has no @WsHandler for");
                return;
            }
        }
        int target = channelId;
        if (handedOver.incrementAndGet() > capacity) {
            handedOver.decrementAndGet();
            drop(DropReason.RECEIVE_QUEUE_FULL, "the event loop has " + capacity
                    + " received broadcasts still to send (ringhttp.cluster.receive-queue-capacity)");
            return;
        }
        ByteBuffer payload = envelope.payload();
        boolean text = envelope.text();
        counters.countReceived();
        server.execute(() -> {
            try {
                server.staging().bytes(payload).broadcast(target, text);
            } finally {
                handedOver.decrementAndGet();
            }
        });
    }

    private void drop(DropReason reason, String why) {
        counters.countDropped(reason);
        dropLog.warn("ringhttp cluster: dropped a message from Redis (" + reason.tag() + "): " + why);
    }

    /** Received messages handed to the loop and not yet broadcast. */
    int handedOver() {
        return handedOver.get();
    }
}
