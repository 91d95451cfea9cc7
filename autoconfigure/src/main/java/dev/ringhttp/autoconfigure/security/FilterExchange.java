package dev.ringhttp.autoconfigure.security;

import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request as the {@link RingHttpFilter}s see it: what it asks for (method,
 * path, query, headers, cookies, remote address, which listener took it), what
 * the filters found out (a {@link Principal} and attributes, which routes and
 * WebSocket sessions receive), and how a filter answers it instead of its route.
 *
 * <p>Valid only during the filter call, on the event loop: the request is a
 * view over the connection's buffer. One exchange serves every request of a
 * server in turn, so a filter must not keep it.
 */
public final class FilterExchange extends RequestView {

    private static final ByteBuffer UNAUTHORIZED = constant("Unauthorized\n");
    private static final ByteBuffer FORBIDDEN = constant("Forbidden\n");
    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    // Set by reset() before any filter sees the exchange.
    @SuppressWarnings("NullAway.Init")
    private HttpResponse response;
    private @Nullable Principal principal;
    /** Cleared for each request; clearing an empty map allocates nothing. */
    private final Map<String, Object> attributes = new HashMap<>();
    private final Map<String, Object> attributesView = Collections.unmodifiableMap(attributes);
    private boolean answered;

    FilterExchange() {
    }

    /** Starts the exchange for the next request: no principal, no attributes, nothing answered. */
    void reset(HttpRequest request, HttpResponse response) {
        view(request);
        this.response = response;
        this.principal = null;
        this.attributes.clear();
        this.answered = false;
    }

    // ---- the request ----

    public HttpMethod method() {
        return request().method();
    }

    /** Whether the request asks to upgrade to a WebSocket (a valid handshake). */
    public boolean isWebSocketUpgrade() {
        return request().isWebSocketUpgrade();
    }

    /** Whether the request came through the management port ({@code management.server.port}). */
    public boolean viaManagementPort() {
        return request().viaManagementPort();
    }

    // ---- what the filters found out ----

    /** Who sent the request, as far as a filter has established it; null until one does. */
    public @Nullable Principal principal() {
        return principal;
    }

    /** Attaches the request's principal: routes take it as a {@link Principal} argument, sessions keep it. */
    public void principal(@Nullable Principal principal) {
        this.principal = principal;
    }

    /** An attribute a filter attached, or null. */
    public @Nullable Object attribute(String name) {
        return attributes.get(name);
    }

    /**
     * Attaches an attribute (a null value removes it): routes read it with
     * {@code @RequestAttribute}, WebSocket sessions find it in their attributes.
     */
    public void attribute(String name, @Nullable Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    /** The attributes attached so far, read-only. */
    public Map<String, Object> attributes() {
        return attributesView;
    }

    // ---- answering ----

    /**
     * Answers the request with {@code status} instead of its route; returns the response for
     * headers and a body (empty unless set). The chain stops with this filter.
     */
    public HttpResponse respond(int status) {
        answered = true;
        return response.status(status);
    }

    /** Answers 401 with {@code WWW-Authenticate: challenge} (such as {@code Bearer} or {@code Basic realm="app"}). */
    public void unauthorized(String challenge) {
        respond(401).header("WWW-Authenticate", challenge).contentType(TEXT_PLAIN).body(UNAUTHORIZED);
    }

    /** Answers 403. */
    public void forbidden() {
        respond(403).contentType(TEXT_PLAIN).body(FORBIDDEN);
    }

    /** Whether a filter has answered the request. */
    boolean answered() {
        return answered;
    }

    HttpResponse response() {
        return response;
    }

    private static ByteBuffer constant(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }
}
