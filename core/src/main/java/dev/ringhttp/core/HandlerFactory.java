package dev.ringhttp.core;

/**
 * Builds the handlers of a server, given the context they keep to reach it (see
 * {@link RingHttpServer#create(ServerConfig, HandlerFactory)}).
 */
public interface HandlerFactory {

    /** The HTTP handler; called once, while the server is built. */
    HttpHandler httpHandler(ServerContext context);

    /** The WebSocket handler; called once, after {@link #httpHandler}. {@link WebSocketHandler#NONE} by default. */
    default WebSocketHandler webSocketHandler(ServerContext context) {
        return WebSocketHandler.NONE;
    }
}
