package dev.ringhttp.autoconfigure.server;

import dev.ringhttp.core.RingHttpServer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The server, for the objects it is built from. The route dispatcher, its
 * contributors and the WebSocket endpoints are the server's handlers, so
 * they are constructed before it and cannot take it in their constructors.
 * They need it only later, to complete deferred responses and to send
 * WebSocket messages, so they take this reference, which looks the server
 * up on first use and keeps it.
 *
 * <p>This is the one late reference to the server in the Spring layer. It
 * goes once the core hands its handlers a context that gives them staging
 * and the server.
 */
public final class RingHttpServerReference implements Supplier<RingHttpServer> {

    private final Supplier<RingHttpServer> lookup;
    private volatile @Nullable RingHttpServer server;

    /** @param lookup finds the server; asked once, on first use, which comes after the server was built */
    public RingHttpServerReference(Supplier<RingHttpServer> lookup) {
        this.lookup = lookup;
    }

    @Override
    public RingHttpServer get() {
        RingHttpServer known = server;
        if (known == null) {
            // Two threads may both look it up; they find the same singleton.
            known = lookup.get();
            server = known;
        }
        return known;
    }
}
