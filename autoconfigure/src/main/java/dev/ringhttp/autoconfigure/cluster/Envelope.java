package dev.ringhttp.autoconfigure.cluster;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * One message between instances, as {@link EnvelopeCodec} decoded it.
 *
 * @param kind        text, binary, or the link's heartbeat
 * @param instanceId  the id of the instance that published it ({@code ringhttp.cluster.instance-id})
 * @param incarnation a random number its sender drew when it started: tells this instance's own messages
 *                    from those of another instance configured with the same id
 * @param channel     the channel it was broadcast to, or null for every channel
 * @param payload     the message, a read-only view of the received bytes (position 0)
 */
public record Envelope(MessageKind kind, String instanceId, long incarnation, @Nullable String channel,
        ByteBuffer payload) {

    /** Whether it was broadcast to every channel rather than one. */
    public boolean everyChannel() {
        return channel == null;
    }

    /** A heartbeat's number (its payload). */
    public long heartbeatNumber() {
        if (kind != MessageKind.HEARTBEAT) {
            throw new IllegalStateException(kind + " has no heartbeat number");
        }
        return payload.getLong(0);
    }

    /** Whether the client receives it as a text message. */
    public boolean text() {
        return kind == MessageKind.TEXT;
    }
}
