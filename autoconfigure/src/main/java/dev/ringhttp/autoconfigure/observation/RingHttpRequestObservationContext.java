package dev.ringhttp.autoconfigure.observation;

import dev.ringhttp.core.HttpRequest;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * What an {@code http.server.requests} observation knows about one request
 * handled by ringhttp. The carrier is the request itself, so that a tracing
 * handler extracts {@code traceparent} (or B3) from its headers when the
 * observation starts.
 *
 * <p>The carrier is a view of the connection's buffer and is valid only while
 * the observation starts: by the time a deferred answer stops it, the buffer
 * may hold the next request. Everything a convention needs later (method,
 * path, pattern, status) is therefore copied into this context when the
 * observation starts; conventions should read these, not the carrier.
 */
public class RingHttpRequestObservationContext extends ReceiverContext<HttpRequest> {

    private final String method;
    private final String path;
    private final boolean upgrade;
    private @Nullable String pathPattern;
    private int status;

    public RingHttpRequestObservationContext(HttpRequest request) {
        super((carrier, key) -> carrier.header(key), Kind.SERVER);
        setCarrier(request);
        this.method = request.method().name();
        this.path = request.path();
        this.upgrade = request.isWebSocketUpgrade();
    }

    /** The request method, such as {@code GET}. */
    public String getMethod() {
        return method;
    }

    /** The request path, without the query. */
    public String getPath() {
        return path;
    }

    /** Whether the request asked for a WebSocket upgrade. */
    public boolean isWebSocketUpgrade() {
        return upgrade;
    }

    /** The pattern of the route or {@code @WsHandler} that took the request; null when none matched. */
    public @Nullable String getPathPattern() {
        return pathPattern;
    }

    public void setPathPattern(@Nullable String pathPattern) {
        this.pathPattern = pathPattern;
    }

    /** The status sent; 0 while none is known, or when the client left before a deferred answer. */
    public int getStatus() {
        return status;
    }

    public void setStatus(int status) {
        this.status = status;
    }
}
