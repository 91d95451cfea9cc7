package dev.ringhttp.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A parsed HTTP request, a view over the connection's own request buffer.
 *
 * <p>Nothing is copied or allocated until a value is asked for as a
 * {@link String}; the {@code ...Equals} and {@code ...Matches} methods compare
 * in place. The view is valid only during the handler call on the event loop:
 * a handler that answers later must copy what it needs first.
 */
public interface HttpRequest {

    /** Id of the HTTP connection, in {@code [0, maxConnections)}. */
    int connectionId();

    InetSocketAddress remoteAddress();

    /**
     * Whether the request came through the management listener ({@link ServerConfig#managementPort()})
     * rather than the main one; always false without a management listener.
     */
    boolean viaManagementPort();

    HttpMethod method();

    /** Whether the request line said HTTP/1.0 (else HTTP/1.1). */
    boolean isHttp10();

    /**
     * The request target as sent, path and query. Visible ASCII, never empty, and every
     * {@code '%'} in it starts a well-formed {@code "%" HEXDIG HEXDIG} triplet: the server answers
     * any other target 400 ({@link CloseReason#BAD_REQUEST}) before a handler sees it, so decoding
     * it cannot fail.
     */
    String rawPath();

    /**
     * The path: the request target up to, not including, the first {@code '?'}. Still
     * percent-encoded (never throws); what a triplet decodes to is the decoder's business:
     * {@code %00}, {@code %2F} and bytes that are not UTF-8 are valid URI syntax and reach the
     * handler as sent.
     */
    String path();

    /** Compares the path with {@code candidate} without allocating. */
    boolean pathEquals(CharSequence candidate);

    /** Whether the path starts with {@code prefix}, without allocating. */
    boolean pathStartsWith(CharSequence prefix);

    /** The query string after {@code '?'}, or {@code null} if the target has none. */
    String query();

    /** Number of header fields. */
    int headerCount();

    /** Name of the header field at {@code index}, as sent. */
    String headerName(int index);

    /** Value of the header field at {@code index}, without surrounding whitespace. */
    String headerValue(int index);

    /** Value of the first header field called {@code name} (case-insensitive), or {@code null}. */
    String header(CharSequence name);

    /** Whether a header {@code name} (case-insensitive) has exactly the value {@code value} (case-insensitive). */
    boolean headerEquals(CharSequence name, CharSequence value);

    /** The body, read-only, positioned at its first byte; empty if there is none. */
    ByteBuffer body();

    /** Body length in bytes (the Content-Length, or 0). */
    int contentLength();

    /** Whether the connection stays open after the response, per the version and Connection header. */
    boolean keepAlive();

    /**
     * Whether this is a valid WebSocket upgrade request (GET, {@code Upgrade: websocket}, a
     * {@code Connection} header with the {@code upgrade} token, a valid key and version 13).
     */
    boolean isWebSocketUpgrade();

    /** Whether the client offered the {@code compress-zstd} WebSocket subprotocol. */
    boolean offersZstdCompression();
}
