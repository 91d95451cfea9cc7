package dev.ringhttp.autoconfigure.cluster;

/** The states of the {@link ClusterLink}; only {@link #UP} means broadcasts cross between instances. */
public enum LinkState {

    /** Not started yet, or stopped with the application. */
    STOPPED,
    /** Subscribing to the Redis channel: at start-up, and again once a back-off after a failure has passed. */
    CONNECTING,
    /** Subscribed; this instance's first heartbeat has not come back through Redis yet. */
    SUBSCRIBED,
    /** Subscribed, and this instance's heartbeats come back through Redis: what it publishes reaches the channel. */
    UP,
    /**
     * Subscribing failed, or the heartbeat stopped coming back: the subscription is closed and the link waits a
     * back-off before it subscribes again. Broadcasts still reach this instance's own clients.
     */
    DOWN
}
