package dev.ringhttp.autoconfigure;

import dev.ringhttp.autoconfigure.cluster.ClusterConfig;
import dev.ringhttp.autoconfigure.cluster.EnvelopeCodec;
import dev.ringhttp.core.InvalidConfigurationException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Maps {@link RingHttpClusterProperties} onto the cluster's {@link ClusterConfig}, which checks every
 * value; a refusal is reported under the property's name, so start-up fails with a message naming the
 * property, the value and what is accepted. The message limit is the server's
 * ({@code ringhttp.server.max-websocket-message-size}): no instance publishes or delivers a broadcast
 * larger than a client could send it.
 */
final class ClusterConfigMapper {

    private static final String PREFIX = "ringhttp.cluster.";

    /** Characters of a default instance id taken from the host name; longer names are cut. */
    private static final int MAX_HOST_PART = 40;

    private ClusterConfigMapper() {
    }

    static ClusterConfig toClusterConfig(RingHttpClusterProperties p, int maxMessageLength) {
        String instanceId = p.getInstanceId() != null ? p.getInstanceId()
                : defaultInstanceId(System.getenv("HOSTNAME"), ProcessHandle.current().pid());
        try {
            return new ClusterConfig(instanceId, p.getChannelPrefix(), maxMessageLength, p.getPublishQueueCapacity(),
                    p.getReceiveQueueCapacity(), p.getHeartbeatInterval(), p.getMaxReconnectDelay());
        } catch (InvalidConfigurationException e) {
            String accepted = e.accepted();
            String property = "maxMessageLength".equals(e.parameter()) ? "ringhttp.server.max-websocket-message-size"
                    : PREFIX + kebab(e.parameter());
            throw new InvalidConfigurationPropertyValueException(property, e.value(),
                    Character.toUpperCase(accepted.charAt(0)) + accepted.substring(1) + ".");
        }
    }

    /**
     * The host name (what the environment says, as in a container) and the process id, with any
     * character an id may not hold replaced by '-': distinct for instances on distinct hosts and for
     * processes on one host. Another instance with the same id is still told apart by its incarnation.
     */
    static String defaultInstanceId(@Nullable String hostName, long pid) {
        String host = hostName == null || hostName.isBlank() ? "ringhttp" : hostName.strip();
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < host.length() && id.length() < MAX_HOST_PART; i++) {
            char c = host.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            id.append(allowed ? c : '-');
        }
        String result = id.append('-').append(pid).toString();
        return EnvelopeCodec.isValidInstanceId(result) ? result : "ringhttp-" + pid;
    }

    /** {@code maxReconnectDelay} as its property's name, {@code max-reconnect-delay}. */
    static String kebab(String parameter) {
        return parameter.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
