package dev.ringhttp.core;

import java.nio.ByteBuffer;

/**
 * The response to one request, reused for every request of its connection.
 *
 * <p>It starts as {@code 200} with an empty body. Headers are formatted into
 * the connection's fixed response-header buffer when the response is
 * written; a head that does not fit becomes a 500. Values passed as
 * {@link CharSequence} are read when the response is written, not copied, so
 * they must stay unchanged until the handler returns (or until
 * {@link #complete()} for a deferred response).
 */
public interface HttpResponse {

    /** Sets the status code (100–599 except 101, which only an upgrade sends). */
    HttpResponse status(int status);

    /** The status set so far (200 unless changed). */
    int status();

    HttpResponse contentType(CharSequence contentType);

    HttpResponse cacheControl(CharSequence cacheControl);

    HttpResponse contentEncoding(CharSequence contentEncoding);

    HttpResponse location(CharSequence location);

    /** CORS headers: {@code Access-Control-Allow-Origin/-Methods/-Headers/-Max-Age}; null or negative values are left out. */
    HttpResponse cors(CharSequence allowOrigin, CharSequence allowMethods, CharSequence allowHeaders, int maxAgeSeconds);

    /** Adds a header field; at most {@value #MAX_EXTRA_HEADERS} per response. */
    HttpResponse header(CharSequence name, CharSequence value);

    /** Asks for the connection to close after this response. */
    HttpResponse closeConnection();

    /**
     * A static body: a buffer that outlives the response, such as a constant.
     * The server reads it between its position and limit at this call and
     * never changes its contents; it may share it between connections.
     */
    HttpResponse body(ByteBuffer staticBody);

    /** Stages {@code text} as UTF-8 into the outgoing ring and hands it off as the body. */
    HttpResponse body(CharSequence text);

    /** Stages {@code bytes} into the outgoing ring and hands them off as the body. */
    HttpResponse body(byte[] bytes);

    /**
     * Hands off the message staged so far (see {@link RingHttpServer#staging()})
     * as the body. If the staged message overflowed the ring, the response
     * becomes a 500 and this returns {@code false}.
     */
    boolean stagedBody();

    /**
     * Answers later: the response is not written when the handler returns.
     * Returns a token for {@link RingHttpServer#deferredResponse(long)}, which
     * gives this response back on the event loop so it can be filled in and
     * {@link #complete() completed}.
     */
    long defer();

    /** Writes a deferred response. Event loop thread only. */
    void complete();

    /**
     * Accepts a WebSocket upgrade: the server answers 101 and moves the
     * connection to the WebSocket pool, in broadcast channel {@code channel}
     * (0 or more). Compression is agreed when the client offered
     * {@code compress-zstd} and the server compresses. A request that is not
     * a valid upgrade is answered 400 ({@link CloseReason#WS_MISSING_UPGRADE}).
     */
    void upgradeToWebSocket(int channel);

    /** Header fields {@link #header} accepts per response. */
    int MAX_EXTRA_HEADERS = 16;
}
