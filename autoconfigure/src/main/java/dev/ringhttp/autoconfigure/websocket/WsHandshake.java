package dev.ringhttp.autoconfigure.websocket;

import dev.ringhttp.autoconfigure.security.RequestView;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A WebSocket upgrade request as its {@code @WsHandler} sees it in
 * {@link WsListener#onHandshake}, after the filters and the {@code Origin}
 * check let it through: what the client sent, what the filters attached, and
 * the means to refuse it. The principal and attributes as they stand when
 * the handshake is accepted go with the {@link WsSession}.
 *
 * <p>Valid only during that call, on the event loop.
 */
public final class WsHandshake extends RequestView {

    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private final HttpResponse response;
    private @Nullable Principal principal;
    private final Map<String, Object> attributes;
    private boolean refused;

    WsHandshake(HttpRequest request, HttpResponse response, @Nullable Principal principal,
            Map<String, Object> filterAttributes) {
        view(request);
        this.response = response;
        this.principal = principal;
        this.attributes = new HashMap<>(filterAttributes);
    }

    /** The principal a filter attached, or that this handshake set; null if none. */
    public @Nullable Principal principal() {
        return principal;
    }

    /** Sets the principal the session will carry. */
    public void principal(@Nullable Principal principal) {
        this.principal = principal;
    }

    /** The attributes the session will start with: the filters', and what this handshake adds. Mutable. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /**
     * Refuses the upgrade with {@code status} (400 to 599) and its reason phrase as a plain-text
     * body; returns the response for headers (such as {@code WWW-Authenticate} with a 401).
     *
     * @throws IllegalArgumentException for a status outside 400 to 599
     */
    public HttpResponse refuse(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a handshake is refused with a status from 400 to 599, not " + status);
        }
        refused = true;
        HttpStatus known = HttpStatus.resolve(status);
        return response.status(status).contentType(TEXT_PLAIN)
                .body((known == null ? "Refused" : known.getReasonPhrase()) + "\n");
    }

    /** Whether {@link #refuse} was called. */
    public boolean isRefused() {
        return refused;
    }
}
