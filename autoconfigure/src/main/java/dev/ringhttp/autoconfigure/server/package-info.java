/**
 * The ringhttp server as part of a running application: the
 * {@link dev.ringhttp.autoconfigure.server.RingHttpServerLifecycle lifecycle}
 * that starts it with the context, publishes its port
 * ({@link dev.ringhttp.autoconfigure.server.LocalRingHttpPort @LocalRingHttpPort})
 * and stops it gracefully, and the
 * {@link dev.ringhttp.autoconfigure.server.RingHttpLoopFailureHandler handler}
 * that ends the application if the server's event loop dies. (The server's
 * own handlers reach it through the core's {@code ServerContext}.) Runtime types only: they
 * never refer to the auto-configuration that creates them.
 */
@NullMarked
package dev.ringhttp.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
