package dev.ringhttp.autoconfigure.actuate;

import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.RingHttpServer;
import java.net.InetSocketAddress;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP while the ringhttp server runs, with its address and the connections
 * open in each pool; DOWN with the exception that killed its event loop, or
 * when it is not running (not started yet, or stopped).
 */
public class RingHttpHealthIndicator extends AbstractHealthIndicator {

    private final RingHttpServer server;

    public RingHttpHealthIndicator(RingHttpServer server) {
        super("ringhttp health check failed");
        this.server = server;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        InetSocketAddress address = server.address();
        if (address != null) {
            builder.withDetail("address", address.getAddress().getHostAddress() + ":" + address.getPort());
        }
        Throwable failure = server.failure();
        if (failure != null) {
            // The detail Health.Builder.down(Throwable) would add, without it: a builder holding an exception is
            // logged with its stack trace at WARN on every check, and this one was logged once when the loop died.
            builder.down().withDetail("error", failure.getClass().getName() + ": " + failure.getMessage());
            return;
        }
        if (!server.isRunning()) {
            builder.down().withDetail("reason", "not running");
            return;
        }
        builder.up()
                .withDetail("httpConnections", server.counters().active(ConnectionType.HTTP))
                .withDetail("webSocketConnections", server.counters().active(ConnectionType.WEBSOCKET));
    }
}
