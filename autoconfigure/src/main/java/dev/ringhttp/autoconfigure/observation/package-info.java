/**
 * Micrometer observations of a ringhttp server: each routed request and each
 * WebSocket upgrade is an {@code http.server.requests} observation with the
 * key names of Spring MVC and WebFlux, whose trace context is read from the
 * request's headers ({@code traceparent} with a W3C tracing bridge).
 * {@code RingHttpObservationAutoConfiguration} creates the observer when the
 * application has an {@code ObservationRegistry}; the other types do not
 * depend on it. Micrometer's observation API is optional, so only this package
 * refers to it.
 */
@NullMarked
package dev.ringhttp.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
