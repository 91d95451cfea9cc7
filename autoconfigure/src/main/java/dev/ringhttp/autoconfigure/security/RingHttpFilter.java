package dev.ringhttp.autoconfigure.security;

/**
 * Looks at every request before it reaches a route, an actuator endpoint or a
 * WebSocket upgrade, and lets it through or answers it. Declare filters as
 * beans; they run in {@link org.springframework.core.annotation.Order @Order}
 * (or {@link org.springframework.core.Ordered}) order, lowest first, and the
 * first one that answers ends the chain:
 *
 * <pre>{@code
 * @Bean
 * @Order(1)
 * RingHttpFilter bearerToken(TokenService tokens) {
 *     return exchange -> {
 *         String auth = exchange.header("Authorization");
 *         Principal user = auth == null ? null : tokens.verify(auth);   // fast and non-blocking
 *         if (user == null) {
 *             exchange.unauthorized("Bearer");                           // 401 with WWW-Authenticate
 *             return false;
 *         }
 *         exchange.principal(user);                                      // routes and WsSession see it
 *         return true;
 *     };
 * }
 * }</pre>
 *
 * <p>Filters run on the server's event loop, one request at a time: they must
 * not block (no remote calls, no slow password hashing per request). A filter
 * that throws answers its request with 500 (or with the status of a
 * {@code ResponseStatusException}); the loop and other connections go on.
 */
@FunctionalInterface
public interface RingHttpFilter {

    /**
     * Decides on one request.
     *
     * @return true to pass the request on (to the next filter, then to its route, endpoint or
     *     upgrade), false to stop it: with what the filter answered through the exchange
     *     ({@link FilterExchange#respond}, {@link FilterExchange#unauthorized},
     *     {@link FilterExchange#forbidden}), or with 403 if it answered nothing. A filter that
     *     answered stops the request whatever it returns.
     * @throws Exception answered as described in the class comment
     */
    boolean filter(FilterExchange exchange) throws Exception;
}
