/**
 * The ringhttp server: {@link dev.ringhttp.core.RingHttpServer} and its
 * configuration, handlers, request and response views, staging API, close
 * reasons and counters. Plain Java; zstd-jni is optional.
 *
 * <p>The server's parts live here too, package-private, one owner each:
 * {@code EventLoop} (selector, tasks, clock, loop thread), {@code ConnectionTable}
 * (pools, accept, upgrade, eviction order, the close path), {@code HttpConnection}
 * and {@code WsConnection} (one slot's state machine each), {@code Outbox}
 * (ring hand-off, compression, frames to flush), {@code Timeouts},
 * {@code SafePoint} (what runs between pieces of application code) and
 * {@code LoopScratch}. {@code RingHttpServer} is their façade and lifecycle.
 *
 * <p>Subpackages hold the parts that know nothing of connections: {@code ring}
 * the outgoing ring and its eviction order, {@code http} the request parser and
 * response formatting, {@code ws} WebSocket framing, handshake and compression.
 */
package dev.ringhttp.core;
