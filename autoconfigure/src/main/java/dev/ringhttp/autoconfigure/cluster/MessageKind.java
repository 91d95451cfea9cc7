package dev.ringhttp.autoconfigure.cluster;

import org.jspecify.annotations.Nullable;

/** What an {@link Envelope} carries, and its code on the wire. */
public enum MessageKind {

    /** A text broadcast: the payload is UTF-8, delivered as a text message. */
    TEXT(1),
    /** A binary broadcast, delivered as a binary message. */
    BINARY(2),
    /**
     * The link's check on itself: published with no channel and its number as the payload, expected back
     * by its sender ({@link ClusterLink}); never delivered to a client, and ignored by the other instances.
     */
    HEARTBEAT(3);

    private final int code;

    MessageKind(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** The kind with this code, or null for a code no version-1 sender writes. */
    static @Nullable MessageKind ofCode(int code) {
        for (MessageKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
