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
     * Subscribed, but no heartbeat has come back within the timeout because publishing fails or lags (Redis
     * down or slow, or a long publish queue); the subscription is kept, since subscribing again would not help.
     * Broadcasts reach this instance's own clients; the others get them late or not at all.
     */
    LAGGING,
    /**
     * Subscribing failed, or a heartbeat that Redis confirmed did not come back through the subscription: the
     * subscription is closed and the link waits a back-off before it subscribes again. Broadcasts still reach
     * this instance's own clients.
     */
    DOWN
}
