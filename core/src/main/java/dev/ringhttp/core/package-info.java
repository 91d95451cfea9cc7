/**
 * The ringhttp server: {@link dev.ringhttp.core.RingHttpServer} and its
 * configuration, handlers, request and response views, staging API, close
 * reasons and counters. Plain Java; zstd-jni is optional.
 *
 * <p>Subpackages hold the parts: {@code ring} the outgoing ring and its
 * eviction order, {@code http} the request parser and response formatting,
 * {@code ws} WebSocket framing, handshake and compression.
 */
package dev.ringhttp.core;
