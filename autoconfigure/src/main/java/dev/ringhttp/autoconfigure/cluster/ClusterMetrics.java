package dev.ringhttp.autoconfigure.cluster;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The cluster's counters as {@code ringhttp.cluster.*} meters, read when the registry publishes:
 * messages published, received, failed and dropped (by {@link DropReason}, every reason registered up
 * front so that dashboards see zeros), subscriptions, whether the link is up, and what waits in
 * either queue.
 */
public class ClusterMetrics implements MeterBinder {

    static final String PREFIX = "ringhttp.cluster";

    private final RingHttpCluster cluster;

    public ClusterMetrics(RingHttpCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ClusterCounters counters = cluster.counters();
        FunctionCounter.builder(PREFIX + ".messages.published", counters, ClusterCounters::published)
                .description("Broadcasts made on this instance that Redis accepted for the other instances")
                .register(registry);
        FunctionCounter.builder(PREFIX + ".messages.received", counters, ClusterCounters::received)
                .description("Broadcasts from other instances delivered to this instance's event loop")
                .register(registry);
        FunctionCounter.builder(PREFIX + ".messages.failed", counters, ClusterCounters::failed)
                .description("Broadcasts whose publishing Redis refused or did not confirm in time")
                .register(registry);
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder(PREFIX + ".messages.dropped", counters, c -> c.dropped(reason))
                    .tag("reason", reason.tag())
                    .description("Messages neither published nor delivered, by reason")
                    .register(registry);
        }
        FunctionCounter.builder(PREFIX + ".subscriptions", counters, ClusterCounters::subscriptions)
                .description("Subscriptions to the cluster's Redis channel: one at start, one per recovery")
                .register(registry);
        Gauge.builder(PREFIX + ".link.up", cluster, c -> c.state() == LinkState.UP ? 1 : 0)
                .description("1 while this instance's heartbeats come back through Redis, else 0")
                .register(registry);
        Gauge.builder(PREFIX + ".publish.queued", cluster, RingHttpCluster::publishQueued)
                .description("Broadcasts waiting to be published")
                .register(registry);
        Gauge.builder(PREFIX + ".receive.queued", cluster, RingHttpCluster::receiveQueued)
                .description("Received broadcasts waiting for the event loop")
                .register(registry);
    }
}
