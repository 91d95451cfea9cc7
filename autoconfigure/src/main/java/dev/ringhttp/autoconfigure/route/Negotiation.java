package dev.ringhttp.autoconfigure.route;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;

/**
 * What a route's answer is negotiated from, taken while its request is current (a deferred
 * answer is written after the request's view is gone).
 *
 * @param produced the type negotiated from the route's {@code produces}; null when it declares none
 * @param accept   the request's {@code Accept} header; null when absent or when {@code produced} decides
 */
record Negotiation(@Nullable MediaType produced, @Nullable String accept) {

    /** Nothing declared, nothing asked: shared, so that the common case allocates nothing. */
    static final Negotiation NONE = new Negotiation(null, null);

    static Negotiation of(@Nullable MediaType produced, @Nullable String accept) {
        return produced == null && accept == null ? NONE : new Negotiation(produced, produced != null ? null : accept);
    }
}
