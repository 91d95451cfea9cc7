package dev.ringhttp.autoconfigure;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cluster broadcast, under {@code ringhttp.cluster}: the application's
 * instances share the broadcasts made through the {@code WebSocketMessenger}
 * through Redis pub/sub, using the application's {@code RedisConnectionFactory}
 * ({@code spring.data.redis.*}). Off unless enabled.
 */
@ConfigurationProperties("ringhttp.cluster")
public class RingHttpClusterProperties {

    /** Whether to share broadcasts with the application's other instances through Redis; needs spring-boot-starter-data-redis. */
    private boolean enabled = false;

    /** Prefix of the Redis channel the instances share (broadcasts travel on the prefix followed by 'broadcast'); instances with the same prefix on the same Redis form one cluster. */
    private String channelPrefix = "ringhttp:";

    /** This instance's id in the messages it publishes: 1 to 64 ASCII letters, digits, '.', '_', ':' or '-'; unset, the host name and process id. */
    private @Nullable String instanceId;

    /** Maximum number of broadcasts waiting to be published to Redis; when full, further broadcasts reach this instance's clients only, and are counted as dropped. */
    private int publishQueueCapacity = 1024;

    /** Maximum number of broadcasts received from Redis and waiting for the event loop; when full, further ones are dropped and counted. */
    private int receiveQueueCapacity = 1024;

    /** How often the link publishes a heartbeat it expects back through Redis; after three intervals without one it reports itself down (health and ringhttp.cluster.link.up), and subscribes again if Redis accepted a heartbeat that never came back. */
    private Duration heartbeatInterval = Duration.ofSeconds(1);

    /** Longest wait between two attempts to reach Redis again after a failure; the wait starts at 100ms and doubles up to this. */
    private Duration maxReconnectDelay = Duration.ofSeconds(5);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getChannelPrefix() {
        return channelPrefix;
    }

    public void setChannelPrefix(String channelPrefix) {
        this.channelPrefix = channelPrefix;
    }

    public @Nullable String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(@Nullable String instanceId) {
        this.instanceId = instanceId;
    }

    public int getPublishQueueCapacity() {
        return publishQueueCapacity;
    }

    public void setPublishQueueCapacity(int publishQueueCapacity) {
        this.publishQueueCapacity = publishQueueCapacity;
    }

    public int getReceiveQueueCapacity() {
        return receiveQueueCapacity;
    }

    public void setReceiveQueueCapacity(int receiveQueueCapacity) {
        this.receiveQueueCapacity = receiveQueueCapacity;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Duration getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    public void setMaxReconnectDelay(Duration maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }
}
