package dev.ringhttp.core.http;

import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One connection's request, a view over that connection's request buffer.
 *
 * <p>Built once per connection slot when the server is built, it pre-allocates all it needs: four
 * {@code int} arrays of {@code maxHeaderCount} entries for the header fields' name and value
 * positions, one array of their {@link KnownHeader} kinds and one read-only view of the buffer
 * for {@link #body()}. After that, filling it ({@link RequestParser}) and reading it allocate
 * nothing, except the accessors that return a {@link String}, which create it on each call.
 *
 * <p>Invariants, from the moment {@link RequestParser#parse} returns {@code COMPLETE} until the
 * parser is reset:
 * <ul>
 *   <li>every position is an absolute index into the request buffer, and every stored region
 *       lies in {@code [0, requestLength())}; the buffer's own position and limit are never
 *       read or changed;
 *   <li>the request target's bytes are visible ASCII ({@code 0x21-0x7E}), so {@link #path()} and
 *       {@link #query()} decode as ASCII, and every {@code '%'} in it is followed by two hex
 *       digits, so percent-decoding them cannot fail; header names are tokens, and header values (trimmed of
 *       SP and HTAB) hold no control character, and decode as ISO-8859-1 (RFC 9110 section 5.5:
 *       bytes above {@code 0x7F} are opaque);
 *   <li>{@code headerCount() <= maxHeaderCount};
 *   <li>the body is bytes {@code [headLength, headLength + contentLength())}, and
 *       {@code headLength + contentLength() <= requestLength() <= maxRequestLength}: equal for a
 *       {@code Content-Length} body; for a chunked one the decoded body was moved down over its
 *       chunk framing, whose remains lie between it and {@code requestLength()}. Except for a
 *       body too large for the request buffer: it lies in a large-body buffer, from index 0,
 *       and {@code requestLength()} counts only what is left of it in the request buffer.
 * </ul>
 * Before the first complete parse, or after an error, the accessors return whatever the last
 * parse left; the server must not call the handler then.
 *
 * <p>Comparisons: {@link #pathEquals} and {@link #pathStartsWith} are exact, because paths are
 * case-sensitive (RFC 3986 section 6.2.2.1); header names are compared ignoring ASCII case (RFC
 * 9110 section 5.1), and {@link #headerEquals} also ignores the value's ASCII case.
 *
 * <p>Not thread-safe: used only on the event loop, and valid only during the handler call.
 */
public final class ParsedRequest implements HttpRequest {

    private final ByteBuffer buffer;
    /** The read-only view handed out by {@link #body()}, re-bounded on each call. */
    private final ByteBuffer bodyView;
    /** A read-only view of the large-body buffer holding this request's body, or null. */
    private ByteBuffer largeBodyView;
    private final int maxHeaderCount;
    private final int[] nameStart;
    private final int[] nameLength;
    private final int[] valueStart;
    private final int[] valueLength;
    private final KnownHeader[] kinds;

    private int connectionId;
    private InetSocketAddress remoteAddress;
    private boolean viaManagementPort;

    private HttpMethod method;
    private boolean http10;
    private int targetStart;
    private int targetLength;
    /** Bytes of the target before the first {@code '?'}; equals targetLength if there is none. */
    private int pathLength;
    private int headerCount;
    private int headLength;
    private int contentLength;
    /** Bytes of head, body as sent (with its chunk framing, if chunked) and trailers. */
    private int requestLength;
    private boolean chunked;
    private boolean keepAlive;
    private boolean webSocketUpgrade;
    private int webSocketKeyIndex;
    private boolean offersZstd;
    private boolean offersDeflate;
    private boolean expectsContinue;

    /**
     * @param requestBuffer the connection's request buffer, in which {@link RequestParser} parses;
     *     its position and limit are never used
     * @param maxHeaderCount the most header fields one request may have, at least 1
     */
    public ParsedRequest(ByteBuffer requestBuffer, int maxHeaderCount) {
        this.buffer = Objects.requireNonNull(requestBuffer, "requestBuffer");
        if (maxHeaderCount < 1) {
            throw new IllegalArgumentException("maxHeaderCount must be at least 1, was " + maxHeaderCount);
        }
        this.maxHeaderCount = maxHeaderCount;
        this.bodyView = requestBuffer.asReadOnlyBuffer();
        this.nameStart = new int[maxHeaderCount];
        this.nameLength = new int[maxHeaderCount];
        this.valueStart = new int[maxHeaderCount];
        this.valueLength = new int[maxHeaderCount];
        this.kinds = new KnownHeader[maxHeaderCount];
        clear();
    }

    // ---- server-facing -------------------------------------------------------------------

    /** Set by the server when the slot is given to a connection; kept across {@link RequestParser#reset()}. */
    public void setConnectionId(int connectionId) {
        this.connectionId = connectionId;
    }

    /** Set by the server when the slot is given to a connection; kept across {@link RequestParser#reset()}. */
    public void setRemoteAddress(InetSocketAddress remoteAddress) {
        this.remoteAddress = remoteAddress;
    }

    /** Set by the server when the slot is given to a connection; kept across {@link RequestParser#reset()}. */
    public void setViaManagementPort(boolean viaManagementPort) {
        this.viaManagementPort = viaManagementPort;
    }

    /**
     * Bytes of the whole request as it lies in the buffer: where the next pipelined request
     * starts. For a chunked body, the decoded body is shorter than what it was sent in.
     */
    public int requestLength() {
        return requestLength;
    }

    /** Whether the body came with {@code Transfer-Encoding: chunked}; then it is decoded, and its length known only once complete. */
    public boolean isChunked() {
        return chunked;
    }

    /**
     * Absolute index in the request buffer of the 24 characters of {@code Sec-WebSocket-Key};
     * meaningful only when {@link #isWebSocketUpgrade()}.
     */
    public int webSocketKeyIndex() {
        return webSocketKeyIndex;
    }

    /** Whether the request carries at least one body byte. */
    public boolean hasBody() {
        return contentLength > 0;
    }

    // ---- filled by the parser ------------------------------------------------------------

    ByteBuffer buffer() {
        return buffer;
    }

    int maxHeaderCount() {
        return maxHeaderCount;
    }

    /** Forgets the previous request; the connection id and remote address stay. */
    void clear() {
        method = null;
        http10 = false;
        targetStart = 0;
        targetLength = 0;
        pathLength = 0;
        headerCount = 0;
        headLength = 0;
        contentLength = 0;
        requestLength = 0;
        largeBodyView = null;
        chunked = false;
        keepAlive = false;
        webSocketUpgrade = false;
        webSocketKeyIndex = -1;
        offersZstd = false;
        offersDeflate = false;
        expectsContinue = false;
    }

    void setRequestLine(HttpMethod method, boolean http10, int targetStart, int targetLength, int pathLength) {
        this.method = method;
        this.http10 = http10;
        this.targetStart = targetStart;
        this.targetLength = targetLength;
        this.pathLength = pathLength;
    }

    /** Records one field; the caller has checked that fewer than maxHeaderCount are recorded. */
    void addHeader(int nameStart, int nameLength, int valueStart, int valueLength, KnownHeader kind) {
        int i = headerCount++;
        this.nameStart[i] = nameStart;
        this.nameLength[i] = nameLength;
        this.valueStart[i] = valueStart;
        this.valueLength[i] = valueLength;
        this.kinds[i] = kind;
    }

    void setHead(int headLength, int contentLength, boolean chunked, boolean keepAlive) {
        this.headLength = headLength;
        this.contentLength = contentLength;
        this.requestLength = headLength + contentLength;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
    }

    int headLength() {
        return headLength;
    }

    /**
     * A chunked body is complete: decoded to {@code [headLength, headLength + contentLength)},
     * the request as sent ends at {@code requestLength}.
     */
    void setChunkedBody(int contentLength, int requestLength) {
        this.contentLength = contentLength;
        this.requestLength = requestLength;
    }

    /**
     * The body, too large for the request buffer, is complete in a large-body buffer at
     * {@code [0, contentLength)}, {@code view} being a read-only view of it; what the request
     * left in the request buffer ends at {@code requestLength}.
     */
    void setSpilledBody(ByteBuffer view, int contentLength, int requestLength) {
        this.largeBodyView = view;
        this.contentLength = contentLength;
        this.requestLength = requestLength;
    }

    void setExpectsContinue(boolean expectsContinue) {
        this.expectsContinue = expectsContinue;
    }

    /**
     * Whether the client sent {@code Expect: 100-continue} (HTTP/1.1 only) and may wait for
     * {@code 100 Continue} before sending the body.
     */
    public boolean expectsContinue() {
        return expectsContinue;
    }

    void setWebSocket(boolean upgrade, int keyIndex, boolean offersZstd, boolean offersDeflate) {
        this.webSocketUpgrade = upgrade;
        this.webSocketKeyIndex = keyIndex;
        this.offersZstd = offersZstd;
        this.offersDeflate = offersDeflate;
    }

    /** Whether the handshake offers {@code permessage-deflate} in a form the server accepts (RFC 7692). */
    public boolean offersPerMessageDeflate() {
        return offersDeflate;
    }

    KnownHeader kind(int index) {
        return kinds[index];
    }

    int valueStart(int index) {
        return valueStart[index];
    }

    int valueLength(int index) {
        return valueLength[index];
    }

    // ---- HttpRequest ---------------------------------------------------------------------

    @Override
    public int connectionId() {
        return connectionId;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean viaManagementPort() {
        return viaManagementPort;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public boolean isHttp10() {
        return http10;
    }

    @Override
    public String rawPath() {
        return string(targetStart, targetLength);
    }

    @Override
    public String path() {
        return string(targetStart, pathLength);
    }

    @Override
    public boolean pathEquals(CharSequence candidate) {
        return HttpChars.regionEquals(buffer, targetStart, pathLength, candidate);
    }

    @Override
    public boolean pathStartsWith(CharSequence prefix) {
        return HttpChars.regionStartsWith(buffer, targetStart, pathLength, prefix);
    }

    /** {@inheritDoc} Empty, not {@code null}, when the target ends with {@code '?'}. */
    @Override
    public String query() {
        if (pathLength == targetLength) {
            return null;
        }
        int queryOffset = pathLength + 1;
        return string(targetStart + queryOffset, targetLength - queryOffset);
    }

    @Override
    public int headerCount() {
        return headerCount;
    }

    @Override
    public String headerName(int index) {
        Objects.checkIndex(index, headerCount);
        return string(nameStart[index], nameLength[index]);
    }

    @Override
    public String headerValue(int index) {
        Objects.checkIndex(index, headerCount);
        return string(valueStart[index], valueLength[index]);
    }

    @Override
    public String header(CharSequence name) {
        int index = indexOf(name, 0);
        return index < 0 ? null : string(valueStart[index], valueLength[index]);
    }

    /** {@inheritDoc} With several fields of that name, true if any of them has the value. */
    @Override
    public boolean headerEquals(CharSequence name, CharSequence value) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (HttpChars.regionEqualsIgnoreCase(buffer, valueStart[i], valueLength[i], value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@inheritDoc} Always the same read-only view of the request buffer (or, for a body too
     * large for it, of the large-body buffer lent to the request), re-bounded to
     * {@code [position, limit) = [bodyStart, bodyStart + contentLength())} by each call.
     */
    @Override
    public ByteBuffer body() {
        if (largeBodyView != null) {
            largeBodyView.limit(contentLength).position(0);
            return largeBodyView;
        }
        bodyView.limit(headLength + contentLength);
        bodyView.position(headLength);
        return bodyView;
    }

    @Override
    public int contentLength() {
        return contentLength;
    }

    @Override
    public boolean keepAlive() {
        return keepAlive;
    }

    @Override
    public boolean isWebSocketUpgrade() {
        return webSocketUpgrade;
    }

    @Override
    public boolean offersZstdCompression() {
        return offersZstd;
    }

    @Override
    public String toString() {
        return method + " " + rawPath() + (http10 ? " HTTP/1.0" : " HTTP/1.1")
                + " (" + headerCount + " headers, " + contentLength + " body bytes)";
    }

    // ---- helpers -------------------------------------------------------------------------

    /** Index of the first field at or after {@code from} called {@code name}, or -1. */
    private int indexOf(CharSequence name, int from) {
        for (int i = from; i < headerCount; i++) {
            if (HttpChars.regionEqualsIgnoreCase(buffer, nameStart[i], nameLength[i], name)) {
                return i;
            }
        }
        return -1;
    }

    private String string(int start, int length) {
        byte[] bytes = new byte[length];
        buffer.get(start, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
