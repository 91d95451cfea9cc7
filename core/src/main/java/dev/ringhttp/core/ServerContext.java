package dev.ringhttp.core;

/**
 * What a handler keeps to reach its server: the server itself (thread-safe sends, broadcasts,
 * closes, handles) and the zero-copy {@link Staging} of the loop the handler runs on.
 *
 * <p>A handler receives its context when it is built, before the server exists: from
 * {@link RingHttpServer#create(ServerConfig, HandlerFactory)}, or, for handlers built by a
 * container before their server, from {@link #create()}, handed later to
 * {@link RingHttpServer#create(ServerConfig, ServerContext, HttpHandler, WebSocketHandler)}.
 * Keep it and use it from the callbacks; calling it before its server is built throws.
 */
public final class ServerContext {

    /** Written once, before the server starts; read from any thread. */
    private volatile RingHttpServer server;

    private ServerContext() {
    }

    /** A context for handlers built before their server; the server created with it takes it. */
    public static ServerContext create() {
        return new ServerContext();
    }

    void checkUnbound() {
        if (server != null) {
            throw new IllegalStateException("this context already belongs to a server");
        }
    }

    /** Set once, by {@code create}, as soon as the server the handlers belong to is built. */
    void bind(RingHttpServer built) {
        checkUnbound();
        server = built;
    }

    /** The server the handler belongs to. */
    public RingHttpServer server() {
        RingHttpServer s = server;
        if (s == null) {
            throw new IllegalStateException("the server is still being built; use the context from the handler's callbacks");
        }
        return s;
    }

    /** The staging API of the handler's loop. Loop thread only, as {@link RingHttpServer#staging()}. */
    public Staging staging() {
        return server().staging();
    }
}
