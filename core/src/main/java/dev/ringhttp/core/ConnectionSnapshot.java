package dev.ringhttp.core;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One live connection at the moment {@link RingHttpServer#connections()} looked.
 *
 * @param type         which pool it is in
 * @param id           its id in that pool
 * @param remoteAddress the peer
 * @param state        its state, as the connection's state machine names it
 * @param age          time since it was accepted (HTTP) or upgraded (WebSocket)
 * @param pendingBytes outgoing bytes queued but not yet written to the socket
 */
public record ConnectionSnapshot(ConnectionType type, int id, InetSocketAddress remoteAddress, String state,
        Duration age, long pendingBytes) {
}
