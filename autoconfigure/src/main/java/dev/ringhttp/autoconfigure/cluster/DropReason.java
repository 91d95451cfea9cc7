package dev.ringhttp.autoconfigure.cluster;

/** Why a message was not published or not delivered; the {@code reason} tag of {@code ringhttp.cluster.messages.dropped}. */
public enum DropReason {

    /** A local broadcast found the publish queue full (Redis down or slower than the broadcasts); it reached the local clients only. */
    PUBLISH_QUEUE_FULL("publish-queue-full"),
    /** A message larger than the WebSocket message limit ({@code ringhttp.server.max-websocket-message-size}): not published, or not delivered when received. */
    OVERSIZE("oversize"),
    /** A received envelope that does not decode: unknown version or kind, bad lengths, invalid UTF-8. */
    MALFORMED("malformed"),
    /** A received broadcast to a channel this instance has no {@code @WsHandler} for. */
    UNKNOWN_CHANNEL("unknown-channel"),
    /** A received message found the queue to the event loop full: the loop is busier than the messages arrive. */
    RECEIVE_QUEUE_FULL("receive-queue-full");

    private final String tag;

    DropReason(String tag) {
        this.tag = tag;
    }

    /** The meter tag value. */
    public String tag() {
        return tag;
    }
}
