package dev.ringhttp.autoconfigure.cluster;

import dev.ringhttp.core.InvalidConfigurationException;
import java.time.Duration;

/**
 * The cluster's settings, checked when built: a value out of range throws
 * {@link InvalidConfigurationException} naming the parameter (the record component), which the
 * auto-configuration reports as its {@code ringhttp.cluster.*} property.
 *
 * @param instanceId           this instance's id in its messages: 1 to 64 ASCII letters, digits, '.', '_', ':', '-'
 * @param channelPrefix        starts every Redis channel name the cluster uses; instances of one application share it
 * @param maxMessageLength     the WebSocket message limit: larger broadcasts are neither published nor delivered
 * @param publishQueueCapacity broadcasts that may wait for Redis; one more is dropped
 * @param receiveQueueCapacity received messages that may wait for the event loop; one more is dropped
 * @param heartbeatInterval    how often the link publishes the heartbeat it expects back
 * @param maxReconnectDelay    the longest wait between attempts to reach Redis again
 */
public record ClusterConfig(String instanceId, String channelPrefix, int maxMessageLength, int publishQueueCapacity,
        int receiveQueueCapacity, Duration heartbeatInterval, Duration maxReconnectDelay) {

    /** Longest channel prefix accepted. */
    public static final int MAX_CHANNEL_PREFIX_LENGTH = 200;

    /** Most messages either queue may be given: a bound on the heap the cluster can hold. */
    public static final int MAX_QUEUE_CAPACITY = 1 << 20;

    /** Shortest heartbeat interval: the link's thread wakes at least this often. */
    public static final Duration MIN_HEARTBEAT_INTERVAL = Duration.ofMillis(10);

    /** Heartbeats that may go missing before the link counts as down. */
    public static final int MISSED_HEARTBEATS_DOWN = 3;

    /** The suffix of the one Redis channel every broadcast travels on. */
    static final String BROADCAST_CHANNEL = "broadcast";

    public ClusterConfig {
        if (!EnvelopeCodec.isValidInstanceId(instanceId)) {
            throw new InvalidConfigurationException("instanceId", instanceId,
                    "it must be 1 to " + EnvelopeCodec.MAX_INSTANCE_ID_LENGTH
                            + " ASCII letters, digits, '.', '_', ':' or '-'");
        }
        if (channelPrefix.isEmpty() || channelPrefix.length() > MAX_CHANNEL_PREFIX_LENGTH
                || !channelPrefix.chars().allMatch(c -> c > ' ' && c < 0x7F)) {
            throw new InvalidConfigurationException("channelPrefix", "'" + channelPrefix + "'",
                    "it must be 1 to " + MAX_CHANNEL_PREFIX_LENGTH + " printable ASCII characters without spaces");
        }
        if (maxMessageLength < 1) {
            throw new InvalidConfigurationException("maxMessageLength", maxMessageLength, "it must be at least 1");
        }
        checkCapacity("publishQueueCapacity", publishQueueCapacity);
        checkCapacity("receiveQueueCapacity", receiveQueueCapacity);
        if (heartbeatInterval.compareTo(MIN_HEARTBEAT_INTERVAL) < 0) {
            throw new InvalidConfigurationException("heartbeatInterval", heartbeatInterval,
                    "it must be at least " + MIN_HEARTBEAT_INTERVAL.toMillis() + "ms");
        }
        if (maxReconnectDelay.compareTo(Backoff.INITIAL) < 0) {
            throw new InvalidConfigurationException("maxReconnectDelay", maxReconnectDelay,
                    "it must be at least " + Backoff.INITIAL.toMillis() + "ms, the first delay");
        }
    }

    private static void checkCapacity(String parameter, int capacity) {
        if (capacity < 1 || capacity > MAX_QUEUE_CAPACITY) {
            throw new InvalidConfigurationException(parameter, capacity,
                    "it must be between 1 and " + MAX_QUEUE_CAPACITY);
        }
    }

    /** The Redis channel broadcasts travel on: the prefix and {@value #BROADCAST_CHANNEL}. */
    public String redisChannel() {
        return channelPrefix + BROADCAST_CHANNEL;
    }

    /** How long the link goes without its heartbeat before it counts as down. */
    public Duration heartbeatTimeout() {
        return heartbeatInterval.multipliedBy(MISSED_HEARTBEATS_DOWN);
    }
}
