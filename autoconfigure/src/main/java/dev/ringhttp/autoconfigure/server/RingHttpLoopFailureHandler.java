package dev.ringhttp.autoconfigure.server;

import dev.ringhttp.core.RingHttpServer;
import java.net.InetSocketAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Keeps an application from living on with its port closed when the
 * ringhttp event loop dies: logs it once at ERROR and, with
 * {@link LoopFailureAction#EXIT}, closes the application context and exits
 * the JVM with status {@value #EXIT_STATUS}. The server reports itself
 * stopped either way, which the lifecycle and the health indicator show.
 *
 * <p>The server calls {@link #loopDied} on its dying loop thread. Closing
 * the context stops the server, which joins that thread, so the exit runs
 * on a thread of its own; that thread is not a daemon, because once the
 * loop thread has ended it may be the only thing keeping the JVM alive
 * long enough to exit with the right status.
 */
public final class RingHttpLoopFailureHandler implements InitializingBean {

    /** The status the JVM exits with, as after an uncaught start-up failure of a Spring Boot application. */
    public static final int EXIT_STATUS = 1;

    private static final Log LOG = LogFactory.getLog(RingHttpLoopFailureHandler.class);

    private final RingHttpServer server;
    private final LoopFailureAction action;
    private final ConfigurableApplicationContext context;
    private final ProcessExit processExit;

    public RingHttpLoopFailureHandler(RingHttpServer server, LoopFailureAction action,
            ConfigurableApplicationContext context, ProcessExit processExit) {
        this.server = server;
        this.action = action;
        this.context = context;
        this.processExit = processExit;
    }

    /** Listens to the server before the lifecycle starts it, so that no death goes unnoticed. */
    @Override
    public void afterPropertiesSet() {
        server.onLoopFailure(this::loopDied);
    }

    void loopDied(Throwable cause) {
        String what = "the ringhttp event loop died (" + cause + "), so nothing answers on " + describePort();
        if (context.isClosed()) {
            LOG.error(what + "; the application context is closing already");
            return;
        }
        if (action == LoopFailureAction.KEEP_RUNNING) {
            LOG.error(what + "; the application keeps running with ringhttp health DOWN"
                    + " (ringhttp.server.on-loop-failure=keep-running)");
            return;
        }
        LOG.error("Stopping the application: " + what + "; closing the application context and exiting with status "
                + EXIT_STATUS + " (ringhttp.server.on-loop-failure=exit)");
        Thread exit = new Thread(this::closeAndExit, "ringhttp-loop-failure-exit");
        exit.setDaemon(false);
        exit.start();
    }

    private void closeAndExit() {
        int status = EXIT_STATUS;
        try {
            // The first non-zero status of the generators (an ExitCodeGenerator bean may choose its own), so
            // never 0 with this one; exiting happens even if closing the context throws.
            status = SpringApplication.exit(context, () -> EXIT_STATUS);
        } finally {
            processExit.exit(status);
        }
    }

    private String describePort() {
        InetSocketAddress address = server.address();
        return address == null ? "its port" : "port " + address.getPort();
    }
}
