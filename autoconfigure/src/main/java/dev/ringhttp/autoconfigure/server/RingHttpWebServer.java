package dev.ringhttp.autoconfigure.server;

import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

/**
 * The ringhttp server as Spring Boot's {@link WebServer}, the type Boot's
 * lifecycles, {@code WebServerInitializedEvent} listeners and test clients
 * know an application's server by.
 *
 * <p>Starting reports a failure to listen in Boot's terms: a port another
 * socket holds is a {@link PortInUseException}, which Boot's failure
 * analyzer explains ("Web server failed to start. Port 8080 was already in
 * use."); any other failure is a {@link WebServerException} naming the
 * address.
 *
 * <p>Stopping follows {@code server.shutdown}:
 * <ul>
 * <li>{@link Shutdown#GRACEFUL}: {@link #shutDownGracefully} stops accepting, closes WebSockets
 *     with 1001 and idle connections, and lets responses in flight finish for up to the grace
 *     period, on a thread of its own; then it closes what is left and tells the callback.
 *     {@link #stop()}, which Boot calls in a later phase, waits for that to end. The grace
 *     period must not outlast the lifecycle's shutdown-phase timeout: the core cannot cut a
 *     graceful shutdown short once it has begun, so it is the grace period that ends it on time.
 * <li>{@link Shutdown#IMMEDIATE}: {@link #shutDownGracefully} does nothing, and {@link #stop()}
 *     closes every connection at once.
 * </ul>
 */
public final class RingHttpWebServer implements WebServer {

    private static final Log LOG = LogFactory.getLog(RingHttpWebServer.class);

    private final RingHttpServer server;
    private final Shutdown shutdown;
    private final Duration gracePeriod;

    /** The thread of a graceful shutdown under way or ended, until {@link #stop()} has waited for it. */
    private @Nullable Thread gracefulShutdown;

    /**
     * @param shutdown how {@link #shutDownGracefully} stops the server
     * @param gracePeriod how long a graceful shutdown lets responses in flight finish; at most the
     *     shutdown phase's timeout
     */
    public RingHttpWebServer(RingHttpServer server, Shutdown shutdown, Duration gracePeriod) {
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must be zero or positive: " + gracePeriod);
        }
        this.server = server;
        this.shutdown = shutdown;
        this.gracePeriod = gracePeriod;
    }

    /** Listens and runs the event loop; does nothing while the server runs. */
    @Override
    public void start() {
        if (server.isRunning()) {
            return;
        }
        try {
            server.start();
        } catch (RuntimeException ex) {
            ServerConfig config = server.configuration();
            // The core's message says when it was the management listener that could not bind.
            boolean management = String.valueOf(ex.getMessage()).endsWith(RingHttpServer.MANAGEMENT_LISTENER);
            PortInUseException.throwIfPortBindingException(ex, management ? config::managementPort : config::port);
            throw new WebServerException("Unable to start ringhttp on " + describe(config), ex);
        }
        LOG.info("ringhttp started on port " + getPort() + " (http)" + boundTo() + managementPortDescription() + " with "
                + server.footprint() / 1024 + " KiB of buffers; kernel send buffers up to "
                + server.kernelSendBufferLimit() / 1024 + " KiB");
    }

    /**
     * Closes what is still open at once, then waits for a graceful shutdown that began
     * before, so that no part of the server runs once this returns. That wait is bounded:
     * the core ends a graceful shutdown within its grace period and joins its loop thread
     * for at most 5 s more.
     */
    @Override
    public void stop() {
        boolean wasRunning = server.isRunning();
        server.shutdown(Duration.ZERO); // returns at once if a graceful shutdown began: the core's is idempotent
        Thread graceful;
        synchronized (this) {
            graceful = gracefulShutdown;
            gracefulShutdown = null;
        }
        if (graceful != null) {
            try {
                graceful.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        if (wasRunning) {
            LOG.info("ringhttp stopped");
        }
    }

    @Override
    public void shutDownGracefully(GracefulShutdownCallback callback) {
        if (shutdown == Shutdown.IMMEDIATE) {
            callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
            return;
        }
        LOG.info("Commencing graceful shutdown. Waiting up to " + gracePeriod.toMillis()
                + " ms for active requests to complete");
        Thread thread = new Thread(() -> {
            GracefulShutdownResult result = GracefulShutdownResult.REQUESTS_ACTIVE;
            try {
                result = shutDownWithinGracePeriod();
            } finally {
                // Even if shutting down failed: Boot would otherwise wait for this until the phase's timeout.
                callback.shutdownComplete(result);
            }
        }, "ringhttp-shutdown");
        synchronized (this) {
            gracefulShutdown = thread;
        }
        thread.start();
    }

    private GracefulShutdownResult shutDownWithinGracePeriod() {
        long began = System.nanoTime();
        server.shutdown(gracePeriod);
        // The core ends a graceful shutdown before its grace period only once every connection has closed, so one
        // that took the whole period closed connections still open at its end (a response unfinished, a WebSocket
        // that did not answer its close).
        if (System.nanoTime() - began < gracePeriod.toNanos()) {
            LOG.info("Graceful shutdown complete");
            return GracefulShutdownResult.IDLE;
        }
        LOG.info("Graceful shutdown reached the end of its grace period of " + gracePeriod.toMillis()
                + " ms and closed any connection still open");
        return GracefulShutdownResult.REQUESTS_ACTIVE;
    }

    /** The port the server listens on, or -1 while it does not. */
    @Override
    public int getPort() {
        InetSocketAddress address = server.address();
        return server.isRunning() && address != null ? address.getPort() : -1;
    }

    /**
     * The port of the management listener ({@code management.server.port}), or -1 while the server
     * does not listen or has none.
     */
    public int getManagementPort() {
        InetSocketAddress address = server.managementAddress();
        return server.isRunning() && address != null ? address.getPort() : -1;
    }

    /** Whether the server listens and its event loop is alive. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** The core server this adapts. */
    public RingHttpServer server() {
        return server;
    }

    private String managementPortDescription() {
        InetSocketAddress address = server.managementAddress();
        return address == null ? "" : ", actuator on port " + address.getPort()
                + (address.getAddress().isAnyLocalAddress() ? "" : " on " + address.getAddress().getHostAddress());
    }

    private String boundTo() {
        InetSocketAddress address = server.address();
        return address == null || address.getAddress().isAnyLocalAddress()
                ? "" : " on " + address.getAddress().getHostAddress();
    }

    private static String describe(ServerConfig config) {
        return (config.address() == null ? "*" : config.address().getHostAddress()) + ":" + config.port();
    }
}
