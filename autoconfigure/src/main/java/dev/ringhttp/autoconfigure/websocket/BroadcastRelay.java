package dev.ringhttp.autoconfigure.websocket;

import org.jspecify.annotations.Nullable;

/**
 * Carries the broadcasts made through a {@link WebSocketMessenger} beyond this
 * instance: the cluster ({@code ringhttp.cluster.*}) publishes them to the
 * application's other instances.
 *
 * <p>The messenger calls {@link #relay} on the event loop, right after it
 * handed the broadcast to this instance's clients, so a relay sees this
 * instance's broadcasts in exactly the order its own clients receive them,
 * whatever threads made them. It must therefore neither block nor throw:
 * a relay that cannot keep up drops the broadcast (and counts it).
 */
@FunctionalInterface
public interface BroadcastRelay {

    /** Relays nothing: the messenger's broadcasts reach this instance's clients only. */
    BroadcastRelay NONE = broadcast -> {
    };

    /**
     * One broadcast as the messenger made it, built on the caller's thread.
     * The payload is never changed afterwards; the ring holds its own copy.
     *
     * @param channel the channel name, or null for every channel
     * @param text    whether it went out as a text message (else binary)
     */
    record Broadcast(@Nullable String channel, byte[] payload, boolean text) {
    }

    /** On the event loop, after the local hand-off; must not block. */
    void relay(Broadcast broadcast);
}
