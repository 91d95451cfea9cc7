package dev.ringhttp.autoconfigure.server;

/**
 * What the application does when the ringhttp event loop dies of an
 * unexpected error (out of memory, a broken selector): its port is closed
 * by then, and nothing restarts it.
 */
public enum LoopFailureAction {

    /**
     * Close the application context and exit the JVM with a non-zero
     * status, as Spring Boot does when its embedded web server fails, so
     * that a supervisor (systemd, Kubernetes) restarts the application.
     */
    EXIT,

    /**
     * Log it and report the {@code ringhttp} health DOWN, leaving the
     * decision to whatever watches the health endpoint. The JVM ends anyway
     * if the loop thread was the last non-daemon thread.
     */
    KEEP_RUNNING
}
