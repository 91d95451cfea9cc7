package dev.ringhttp.autoconfigure.server;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Starts the ringhttp server with the application context and stops it, in
 * the phase Spring Boot starts and stops its own web servers in: once every
 * other bean is ready, and after the graceful shutdown
 * ({@link org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle},
 * a phase earlier on the way down) has ended or timed out.
 *
 * <p>Once the server listens, publishes its port as {@value #PORT_PROPERTY} (and a management
 * listener's as {@value #MANAGEMENT_PORT_PROPERTY})
 * and, in a {@link WebServerApplicationContext} (the one Spring Boot runs a
 * ringhttp application in), a {@link RingHttpWebServerInitializedEvent}, from
 * which Boot's {@code ServerPortInfoApplicationContextInitializer} publishes
 * {@code local.server.port}. A restart on a free port publishes the new one.
 *
 * <p>Keeps no running flag of its own: it runs exactly when the server says
 * it does, so it reports itself stopped once the server's event loop has
 * died, and a second start or stop is the server's to ignore.
 */
public final class RingHttpServerLifecycle implements SmartLifecycle {

    /** Environment property holding the bound port, beside Boot's {@code local.server.port}. */
    public static final String PORT_PROPERTY = "local.ringhttp.port";

    /**
     * Environment property holding the management listener's port, where there is one: Boot's own
     * name, which {@code @LocalManagementPort} reads.
     */
    public static final String MANAGEMENT_PORT_PROPERTY = "local.management.port";

    private static final String PROPERTY_SOURCE = "ringhttp.server.ports";

    private final RingHttpWebServer webServer;
    private final ConfigurableApplicationContext context;

    public RingHttpServerLifecycle(RingHttpWebServer webServer, ConfigurableApplicationContext context) {
        this.webServer = webServer;
        this.context = context;
    }

    @Override
    public void start() {
        webServer.start();
        publishPort(PORT_PROPERTY, webServer.getPort());
        int managementPort = webServer.getManagementPort();
        if (managementPort >= 0) {
            publishPort(MANAGEMENT_PORT_PROPERTY, managementPort);
        }
        if (context instanceof WebServerApplicationContext webServerContext) {
            context.publishEvent(new RingHttpWebServerInitializedEvent(webServer, webServerContext));
        }
    }

    private void publishPort(String property, int port) {
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        PropertySource<?> existing = sources.get(PROPERTY_SOURCE);
        if (existing instanceof MapPropertySource map) {
            map.getSource().put(property, port);
            return;
        }
        Map<String, Object> values = new HashMap<>();
        values.put(property, port);
        sources.addFirst(new MapPropertySource(PROPERTY_SOURCE, values));
    }

    @Override
    public void stop() {
        webServer.stop();
    }

    @Override
    public boolean isRunning() {
        return webServer.isRunning();
    }

    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE;
    }
}
