/**
 * The ringhttp server as part of a running application and as its web
 * server in Spring Boot's terms: the
 * {@link dev.ringhttp.autoconfigure.server.RingHttpWebServer web server}
 * Boot's lifecycles and test clients use, the
 * {@link dev.ringhttp.autoconfigure.server.RingHttpServerLifecycle lifecycle}
 * that starts it with the context and publishes its port
 * ({@code local.server.port},
 * {@link dev.ringhttp.autoconfigure.server.LocalRingHttpPort @LocalRingHttpPort}),
 * the {@link dev.ringhttp.autoconfigure.server.RingHttpWebServerApplicationContext
 * application context} Boot runs a ringhttp application in, and the
 * {@link dev.ringhttp.autoconfigure.server.RingHttpLoopFailureHandler handler}
 * that ends the application if the server's event loop dies. (The server's
 * own handlers reach it through the core's {@code ServerContext}.) Runtime types only: they
 * never refer to the auto-configuration that creates them.
 */
@NullMarked
package dev.ringhttp.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
