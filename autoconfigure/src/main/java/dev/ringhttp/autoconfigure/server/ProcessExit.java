package dev.ringhttp.autoconfigure.server;

/**
 * Ends the JVM with a status, once the application context is closed: what
 * {@link RingHttpLoopFailureHandler} does last when the event loop died.
 * A bean of this type replaces {@link #SYSTEM}, so that tests can observe
 * the exit instead of dying of it.
 */
@FunctionalInterface
public interface ProcessExit {

    /** {@link System#exit(int)}. */
    ProcessExit SYSTEM = System::exit;

    void exit(int status);
}
