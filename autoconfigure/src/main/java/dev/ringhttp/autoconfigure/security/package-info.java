/**
 * Security hooks: {@link dev.ringhttp.autoconfigure.security.RingHttpFilter} beans that run, in
 * order, before every route, actuator endpoint and WebSocket upgrade; the {@code Origin} check
 * of WebSocket upgrades; and the start-up warning when Spring Security is present but nothing
 * of ringhttp's is protected. Everything here runs on the server's event loop.
 */
@NullMarked
package dev.ringhttp.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
