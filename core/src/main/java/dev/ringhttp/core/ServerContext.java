package dev.ringhttp.core;

/**
 * What a handler built by {@link RingHttpServer#create(ServerConfig, HandlerFactory)} keeps to
 * reach its server: the server itself (thread-safe sends, broadcasts, closes, handles) and the
 * zero-copy {@link Staging} of the loop the handler runs on.
 *
 * <p>A handler receives its context when it is built, before the server exists: keep it, use it
 * from the callbacks. Calling it while the handlers are being built throws.
 */
public final class ServerContext {

    private RingHttpServer server;

    ServerContext() {
    }

    /** Set once, by {@code create}, as soon as the server the handlers belong to is built. */
    void bind(RingHttpServer built) {
        if (server != null) {
            throw new IllegalStateException("the context already belongs to a server");
        }
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
