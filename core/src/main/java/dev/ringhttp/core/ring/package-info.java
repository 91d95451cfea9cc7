/**
 * The shared outgoing ring: one fixed-size direct buffer into which every
 * response body and WebSocket message is staged once and then handed off, so
 * that many connections can send the same bytes without copies and the
 * server's memory stays fixed however slow its clients are. Offsets into the
 * ring are logical and only grow; when new output would overwrite bytes a
 * connection has not sent yet, the ring asks an {@link dev.ringhttp.core.ring.Evictor}
 * to close that connection first, and an {@link dev.ringhttp.core.ring.OffsetHeap}
 * lets the server find such connections by their oldest pending offset without
 * scanning. Everything here is allocation-free after construction and confined
 * to one event-loop thread.
 */
package dev.ringhttp.core.ring;
