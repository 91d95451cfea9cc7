/**
 * RFC 6455 WebSocket framing: decoding client frames ({@link dev.ringhttp.core.ws.FrameDecoder},
 * which reports to a {@link dev.ringhttp.core.ws.FrameSink}), validating UTF-8
 * ({@link dev.ringhttp.core.ws.Utf8Validator}), and writing server frames
 * ({@link dev.ringhttp.core.ws.ServerFrames}, {@link dev.ringhttp.core.ws.CloseFrames}).
 *
 * <p>Nothing in this package allocates once constructed: decoding works in place in the
 * connection's receive buffer, and encoding writes into a buffer the caller owns.
 * Classes are not thread-safe; each belongs to the event loop that owns its connection.
 */
package dev.ringhttp.core.ws;
