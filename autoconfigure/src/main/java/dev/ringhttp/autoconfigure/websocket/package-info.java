/**
 * The {@code @WsHandler} programming model: listeners per path, sessions,
 * channels, and the {@link dev.ringhttp.autoconfigure.websocket.WebSocketMessenger}
 * that sends from any thread.
 */
@NullMarked
package dev.ringhttp.autoconfigure.websocket;

import org.jspecify.annotations.NullMarked;
