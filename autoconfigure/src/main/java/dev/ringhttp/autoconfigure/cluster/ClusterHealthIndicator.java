package dev.ringhttp.autoconfigure.cluster;

import java.time.Duration;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The cluster link: UP while this instance's heartbeats come back through Redis (broadcasts cross
 * between instances), DOWN otherwise, with the link's state, why it went down, and the message counts.
 * DOWN does not mean this instance cannot serve: its own clients still get every broadcast made on it.
 * Reads what the link recorded; never talks to Redis itself.
 */
public class ClusterHealthIndicator extends AbstractHealthIndicator {

    private final RingHttpCluster cluster;

    public ClusterHealthIndicator(RingHttpCluster cluster) {
        super("ringhttp cluster health check failed");
        this.cluster = cluster;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        LinkState state = cluster.state();
        if (state == LinkState.UP) {
            builder.up();
        } else {
            builder.down();
            String problem = cluster.problem();
            if (problem != null) {
                builder.withDetail("problem", problem);
            }
        }
        ClusterCounters counters = cluster.counters();
        Duration lastHeartbeat = cluster.sinceLastHeartbeat();
        builder.withDetail("state", state.name())
                .withDetail("stateFor", millis(cluster.stateAge()))
                .withDetail("instanceId", cluster.config().instanceId())
                .withDetail("redisChannel", cluster.config().redisChannel())
                .withDetail("lastHeartbeat", lastHeartbeat == null ? "none yet" : millis(lastHeartbeat) + " ago")
                .withDetail("published", counters.published())
                .withDetail("received", counters.received())
                .withDetail("failed", counters.failed())
                .withDetail("dropped", counters.dropped())
                .withDetail("publishQueued", cluster.publishQueued());
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }
}
