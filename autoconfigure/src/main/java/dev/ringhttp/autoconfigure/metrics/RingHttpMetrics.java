package dev.ringhttp.autoconfigure.metrics;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Binds a server's {@link ServerCounters} as Micrometer function counters and
 * gauges. Meters read the counters when the registry publishes, so there is
 * no polling thread and nothing on the event loop changes.
 *
 * <p>{@code ringhttp.connections.closed} is registered for every
 * {@link CloseReason} and both connection types up front, so dashboards and
 * alerts see zeros instead of missing series. The request timer
 * ({@code ringhttp.requests}) comes from {@link MicrometerRouteObserver}.
 */
public class RingHttpMetrics implements MeterBinder {

    /** Prefix of every ringhttp meter name. */
    public static final String PREFIX = "ringhttp";

    private final RingHttpServer server;
    private final Tags tags;

    public RingHttpMetrics(RingHttpServer server) {
        this(server, Tags.empty());
    }

    /** Binds {@code server}'s meters with {@code tags} added to each, for applications running several servers. */
    public RingHttpMetrics(RingHttpServer server, Iterable<Tag> tags) {
        this.server = server;
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ServerCounters counters = server.counters();
        for (ConnectionType type : ConnectionType.values()) {
            String typeTag = typeTag(type);
            for (CloseReason reason : CloseReason.values()) {
                FunctionCounter.builder(PREFIX + ".connections.closed", counters, c -> c.closes(type, reason))
                        .tags(tags).tags("type", typeTag, "reason", reason.name())
                        .description("Connections closed, by connection type and close reason")
                        .register(registry);
            }
            Gauge.builder(PREFIX + ".connections.active", counters, c -> c.active(type))
                    .tags(tags).tag("type", typeTag).strongReference(true)
                    .description("Connections open now, by connection type")
                    .register(registry);
            for (int k = 0; k < server.eventLoops() && server.eventLoops() > 1; k++) {
                int loop = k;
                Gauge.builder(PREFIX + ".loop.connections.active", counters, c -> c.active(loop, type))
                        .tags(tags).tag("type", typeTag).tag("loop", Integer.toString(loop)).strongReference(true)
                        .description("Connections open now on one event loop, by connection type")
                        .register(registry);
            }
        }
        counter(registry, "connections.opened", ServerCounters::accepted, null,
                "Connections opened: HTTP connections accepted, WebSocket connections upgraded", "type", "http");
        counter(registry, "connections.opened", ServerCounters::upgrades, null,
                "Connections opened: HTTP connections accepted, WebSocket connections upgraded", "type", "websocket");
        counter(registry, "handler.errors", ServerCounters::handlerErrors, null,
                "Exceptions thrown by application handlers", "source", MicrometerRouteObserver.SOURCE_SERVER);
        counter(registry, "bytes.read", ServerCounters::bytesRead, BaseUnits.BYTES,
                "Bytes read from client sockets");
        counter(registry, "bytes.written", ServerCounters::bytesWritten, BaseUnits.BYTES,
                "Bytes written to client sockets");
        counter(registry, "websocket.frames", ServerCounters::framesRead, null,
                "WebSocket frames received (in) and fully written (out), control frames included", "direction", "in");
        counter(registry, "websocket.frames", ServerCounters::framesWritten, null,
                "WebSocket frames received (in) and fully written (out), control frames included", "direction", "out");
        counter(registry, "websocket.messages.received", ServerCounters::messagesRead, null,
                "Complete WebSocket messages received");
        counter(registry, "broadcasts", ServerCounters::broadcasts, null,
                "WebSocket broadcast hand-offs; each stores its message in the ring once");
        counter(registry, "ring.staged", ServerCounters::ringBytesStaged, BaseUnits.BYTES,
                "Bytes committed to the outgoing ring");
        counter(registry, "ring.stage.errors", ServerCounters::stageErrors, null,
                "Hand-offs that failed because a staged message was larger than the ring");
        counter(registry, "evictions", ServerCounters::evictions, null,
                "Connections closed because they were too slow or their pool was full");
        String compression = "Bytes of WebSocket messages before (in) and after (out) compression, once per message "
                + "however many receive it";
        counter(registry, "compression.bytes", ServerCounters::compressionBytesIn, BaseUnits.BYTES, compression,
                "direction", "in", "algorithm", "zstd");
        counter(registry, "compression.bytes", ServerCounters::compressionBytesOut, BaseUnits.BYTES, compression,
                "direction", "out", "algorithm", "zstd");
        counter(registry, "compression.bytes", ServerCounters::deflateBytesIn, BaseUnits.BYTES, compression,
                "direction", "in", "algorithm", "deflate");
        counter(registry, "compression.bytes", ServerCounters::deflateBytesOut, BaseUnits.BYTES, compression,
                "direction", "out", "algorithm", "deflate");
        Gauge.builder(PREFIX + ".large.body.buffers.in.use", server.counters(), ServerCounters::largeBodyBuffersInUse)
                .tags(tags).strongReference(true)
                .description("Large-body buffers lent to requests whose body outgrew the request buffer")
                .register(registry);
        Gauge.builder(PREFIX + ".large.body.buffers", server, s -> s.configuration().largeBodyBuffers())
                .tags(tags).strongReference(true)
                .description("Large-body buffers the server holds (ringhttp.server.large-body-buffers)")
                .register(registry);
        Gauge.builder(PREFIX + ".ring.capacity", server, s -> s.configuration().outgoingBufferSize())
                .tags(tags).baseUnit(BaseUnits.BYTES).strongReference(true)
                .description("Size of the outgoing ring")
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, ToDoubleFunction<ServerCounters> value,
            String baseUnit, String description, String... extraTags) {
        FunctionCounter.builder(PREFIX + "." + name, server.counters(), value)
                .tags(tags).tags(extraTags).baseUnit(baseUnit)
                .description(description)
                .register(registry);
    }

    static String typeTag(ConnectionType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
