/**
 * The servers under comparison, each a small main class started by the harness as its own JVM. Each serves
 * {@code GET /hello} ({@code Hello, World!}, {@code text/plain}) and a WebSocket on {@code /ws} that joins one
 * broadcast group, fed by a broadcaster that sends {@link dev.ringhttp.bench.peers.Payload} messages as fast as
 * the server's own back-pressure allows. Options come from system properties, see {@link PeerOptions}.
 */
package dev.ringhttp.bench.peers;
