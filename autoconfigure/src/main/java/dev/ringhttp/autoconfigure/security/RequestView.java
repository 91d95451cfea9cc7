package dev.ringhttp.autoconfigure.security;

import dev.ringhttp.core.HttpRequest;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * What application code may read of a request before its route or WebSocket handler runs: the
 * path, query, headers, cookies and remote address, read in place from the core request. The
 * request is a view over the connection's buffer: valid only during the call that receives it,
 * on the event loop.
 */
public abstract class RequestView {

    // Set by the subclass before application code sees it.
    @SuppressWarnings("NullAway.Init")
    private HttpRequest request;

    protected RequestView() {
    }

    /** Points this view at {@code request}. */
    protected final void view(HttpRequest request) {
        this.request = request;
    }

    /** The path, still percent-encoded, without the query. */
    public String path() {
        return request.path();
    }

    /** The raw query string after {@code '?'}, or null. */
    public @Nullable String query() {
        return request.query();
    }

    /** The first value of a query parameter, decoded, or null; see {@link RequestValues#queryParameter}. */
    public @Nullable String queryParameter(String name) {
        return RequestValues.queryParameter(request.query(), name);
    }

    /** The first header called {@code name} (case-insensitive), or null. */
    public @Nullable String header(CharSequence name) {
        return request.header(name);
    }

    /** A cookie's value, or null; see {@link RequestValues#cookie}. */
    public @Nullable String cookie(String name) {
        return RequestValues.cookie(request, name);
    }

    public InetSocketAddress remoteAddress() {
        return request.remoteAddress();
    }

    /** The core request, for zero-copy comparisons ({@code pathStartsWith}, {@code headerEquals}) and the body. */
    public HttpRequest request() {
        return request;
    }
}
