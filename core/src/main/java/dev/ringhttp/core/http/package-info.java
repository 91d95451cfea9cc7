/**
 * HTTP/1.1 request parsing over a connection's fixed request buffer.
 *
 * <p>{@link dev.ringhttp.core.http.RequestParser} reads the bytes the server has read into a
 * connection's request buffer and fills a {@link dev.ringhttp.core.http.ParsedRequest}, the
 * {@link dev.ringhttp.core.HttpRequest} a handler sees. Both are built once per connection slot
 * when the server is built; parsing allocates nothing.
 *
 * <p>The parsing is split by protocol layer, each in its own package-private class:
 * <ul>
 *   <li>{@code RequestParser}: the line scanner and state machine (CRLF framing, limits, body);
 *   <li>{@code RequestLineParser}: {@code method SP request-target SP HTTP-version};
 *   <li>{@code HeaderFieldParser}: one {@code name ":" OWS value OWS} field line;
 *   <li>{@code HeadSemantics}: the rules that need the whole head (message framing, Host,
 *       persistence);
 *   <li>{@code WebSocketHandshakeCheck}: the RFC 6455 upgrade request fields;
 *   <li>{@code KnownHeader}: the field names those rules read, recognised once per field;
 *   <li>{@code HttpChars}: byte classes of RFC 9110 and in-place comparisons.
 * </ul>
 *
 * <p>The parser is strict: every deviation it can see is refused with one
 * {@link dev.ringhttp.core.CloseReason}, whose HTTP status the server sends before it closes.
 */
package dev.ringhttp.core.http;
