package dev.ringhttp.autoconfigure.server;

import dev.ringhttp.core.RingHttpServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Starts the ringhttp server with the application context, on its own loop
 * thread, and stops it gracefully: no new connections, responses in flight
 * finished within the grace period, WebSockets closed with 1001.
 *
 * <p>Runs in the phase Spring Boot uses for its own web servers, so the
 * server accepts requests only once every other bean is ready and stops
 * before they are destroyed.
 *
 * <p>Keeps no running flag of its own: it runs exactly when the server says
 * it does, so it reports itself stopped once the server's event loop has
 * died, and a second start or stop is the server's to refuse or ignore.
 */
public final class RingHttpServerLifecycle implements SmartLifecycle {

    /** Environment property holding the bound port, like {@code local.server.port} for Boot's servers. */
    public static final String PORT_PROPERTY = "local.ringhttp.port";

    private static final Log LOG = LogFactory.getLog(RingHttpServerLifecycle.class);
    private static final String PROPERTY_SOURCE = "ringhttp.server.ports";

    private final RingHttpServer server;
    private final Duration gracePeriod;
    private final @Nullable ConfigurableEnvironment environment;

    /** @param environment where the bound port is published; null publishes it nowhere */
    public RingHttpServerLifecycle(RingHttpServer server, Duration gracePeriod,
            @Nullable ConfigurableEnvironment environment) {
        this.server = server;
        this.gracePeriod = gracePeriod;
        this.environment = environment;
    }

    @Override
    public void start() {
        server.start();
        publishPort(server.address().getPort());
        LOG.info("ringhttp started on " + server.address() + " (" + server.footprint() / 1024
                + " KiB of buffers; kernel send buffers up to " + server.kernelSendBufferLimit() / 1024 + " KiB)");
    }

    @SuppressWarnings("unchecked")
    private void publishPort(int port) {
        if (environment == null) {
            return;
        }
        PropertySource<?> existing = environment.getPropertySources().get(PROPERTY_SOURCE);
        if (existing instanceof MapPropertySource map) {
            ((Map<String, Object>) map.getSource()).put(PORT_PROPERTY, port);
            return;
        }
        Map<String, Object> values = new HashMap<>();
        values.put(PORT_PROPERTY, port);
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, values));
    }

    @Override
    public void stop() {
        boolean wasRunning = server.isRunning();
        server.shutdown(gracePeriod); // idempotent in the core, so it needs no flag of ours to run once
        if (wasRunning) {
            LOG.info("ringhttp stopped");
        }
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
