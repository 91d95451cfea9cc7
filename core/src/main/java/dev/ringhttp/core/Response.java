package dev.ringhttp.core;

import dev.ringhttp.core.http.HeadWriter;
import dev.ringhttp.core.http.HttpDate;
import dev.ringhttp.core.http.HttpStatus;
import dev.ringhttp.core.ring.OutgoingRing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The {@link HttpResponse} of one HTTP connection slot: plain fields that the
 * handler fills and {@link #writeHead} formats. Reset before every request;
 * nothing in it is allocated per request.
 */
final class Response implements HttpResponse {

    enum Body { EMPTY, STATIC, RING }

    private static final byte[] CONTENT_TYPE = ascii("Content-Type");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length");
    private static final byte[] CACHE_CONTROL = ascii("Cache-Control");
    private static final byte[] CONTENT_ENCODING = ascii("Content-Encoding");
    private static final byte[] LOCATION = ascii("Location");
    private static final byte[] ALLOW_ORIGIN = ascii("Access-Control-Allow-Origin");
    private static final byte[] ALLOW_METHODS = ascii("Access-Control-Allow-Methods");
    private static final byte[] ALLOW_HEADERS = ascii("Access-Control-Allow-Headers");
    private static final byte[] MAX_AGE = ascii("Access-Control-Max-Age");
    private static final byte[] DATE = ascii("Date: ");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");

    private final HttpConnection connection;
    private final Staging staging;
    private final Outbox outbox;
    private final CharSequence[] extraNames = new CharSequence[MAX_EXTRA_HEADERS];
    private final CharSequence[] extraValues = new CharSequence[MAX_EXTRA_HEADERS];

    private int status;
    private CharSequence contentType;
    private CharSequence cacheControl;
    private CharSequence contentEncoding;
    private CharSequence location;
    private CharSequence allowOrigin;
    private CharSequence allowMethods;
    private CharSequence allowHeaders;
    private int maxAge;
    private int extraCount;
    private boolean closeRequested;
    private boolean deferred;
    private boolean upgrade;
    private int upgradeChannel;
    private Body body;
    private ByteBuffer staticBody;
    private int staticPosition;
    private int staticLimit;
    private long ringOffset;
    private int ringLength;

    Response(HttpConnection connection, Staging staging, Outbox outbox) {
        this.connection = connection;
        this.staging = staging;
        this.outbox = outbox;
        reset();
    }

    void reset() {
        status = 200;
        contentType = null;
        cacheControl = null;
        contentEncoding = null;
        location = null;
        allowOrigin = null;
        allowMethods = null;
        allowHeaders = null;
        maxAge = -1;
        for (int i = 0; i < extraCount; i++) {
            extraNames[i] = null;
            extraValues[i] = null;
        }
        extraCount = 0;
        closeRequested = false;
        deferred = false;
        upgrade = false;
        body = Body.EMPTY;
        staticBody = null;
        ringLength = 0;
    }

    @Override
    public HttpResponse status(int status) {
        requireOpen();
        if (!HttpStatus.isValid(status) || status == 101) {
            throw new IllegalArgumentException("status " + status + " must be 100-599 and not 101 (use upgradeToWebSocket)");
        }
        this.status = status;
        return this;
    }

    @Override
    public HttpResponse contentType(CharSequence contentType) {
        requireOpen();
        this.contentType = contentType;
        return this;
    }

    @Override
    public HttpResponse cacheControl(CharSequence cacheControl) {
        requireOpen();
        this.cacheControl = cacheControl;
        return this;
    }

    @Override
    public HttpResponse contentEncoding(CharSequence contentEncoding) {
        requireOpen();
        this.contentEncoding = contentEncoding;
        return this;
    }

    @Override
    public HttpResponse location(CharSequence location) {
        requireOpen();
        this.location = location;
        return this;
    }

    @Override
    public HttpResponse cors(CharSequence allowOrigin, CharSequence allowMethods, CharSequence allowHeaders, int maxAgeSeconds) {
        requireOpen();
        this.allowOrigin = allowOrigin;
        this.allowMethods = allowMethods;
        this.allowHeaders = allowHeaders;
        this.maxAge = maxAgeSeconds;
        return this;
    }

    @Override
    public HttpResponse header(CharSequence name, CharSequence value) {
        requireOpen();
        if (extraCount == MAX_EXTRA_HEADERS) {
            throw new IllegalStateException("at most " + MAX_EXTRA_HEADERS + " extra headers per response");
        }
        if (!isToken(name)) {
            throw new IllegalArgumentException("header name '" + name + "' is not an RFC 9110 token");
        }
        extraNames[extraCount] = name;
        extraValues[extraCount++] = value;
        return this;
    }

    @Override
    public HttpResponse closeConnection() {
        requireOpen();
        closeRequested = true;
        return this;
    }

    @Override
    public HttpResponse body(ByteBuffer staticBody) {
        requireOpen();
        releaseRingBody();
        this.body = Body.STATIC;
        this.staticBody = staticBody;
        this.staticPosition = staticBody.position();
        this.staticLimit = staticBody.limit();
        return this;
    }

    @Override
    public HttpResponse body(CharSequence text) {
        requireOpen();
        staging.utf8(text);
        stagedBody();
        return this;
    }

    @Override
    public HttpResponse body(byte[] bytes) {
        requireOpen();
        staging.bytes(bytes);
        stagedBody();
        return this;
    }

    @Override
    public boolean stagedBody() {
        requireOpen();
        releaseRingBody();
        staging.checkInLoop("HttpResponse.stagedBody");
        int length = outbox.ring().stageLength();
        long offset = outbox.handOffBody();
        if (offset == OutgoingRing.HAND_OFF_FAILED) {
            status = 500;
            body = Body.EMPTY;
            return false;
        }
        body = Body.RING;
        ringOffset = offset;
        ringLength = length;
        // Pending from now on: later staging by this handler must not overwrite the body unseen.
        connection.holdRingBody(offset);
        return true;
    }

    private void releaseRingBody() {
        if (body == Body.RING) {
            connection.releaseRingBody();
        }
        body = Body.EMPTY;
    }

    @Override
    public long defer() {
        staging.checkInLoop("HttpResponse.defer");
        requireOpen();
        deferred = true;
        return connection.handle();
    }

    @Override
    public void complete() {
        staging.checkInLoop("HttpResponse.complete");
        if (!deferred) {
            throw new IllegalStateException("complete() is only for deferred responses; others are written when the handler returns");
        }
        deferred = false;
        connection.completeDeferred();
    }

    @Override
    public void upgradeToWebSocket(int channel) {
        requireOpen();
        if (channel < 0) {
            throw new IllegalArgumentException("channel must be 0 or more, was " + channel);
        }
        upgrade = true;
        upgradeChannel = channel;
    }

    boolean isDeferred() {
        return deferred;
    }

    boolean isUpgrade() {
        return upgrade;
    }

    int upgradeChannel() {
        return upgradeChannel;
    }

    boolean closeRequested() {
        return closeRequested;
    }

    @Override
    public int status() {
        return status;
    }

    Body bodyKind() {
        return body;
    }

    ByteBuffer staticBody() {
        return staticBody;
    }

    int staticPosition() {
        return staticPosition;
    }

    int staticLimit() {
        return staticLimit;
    }

    long ringOffset() {
        return ringOffset;
    }

    int ringLength() {
        return ringLength;
    }

    long bodyLength() {
        switch (body) {
            case STATIC:
                return staticLimit - staticPosition;
            case RING:
                return ringLength;
            default:
                return 0;
        }
    }

    /**
     * A response belongs to its handler call, or to its deferral until {@link #complete()}. The
     * object is the connection slot's and serves the slot's next request and next tenant too,
     * so a reference kept past that must not write into it: that would corrupt another answer
     * or hold ring bytes for a closed connection.
     */
    private void requireOpen() {
        if (!connection.responseOpen()) {
            throw new IllegalStateException("this HttpResponse is no longer in use: it was written or its connection"
                    + " closed; keep the token from defer() and ask deferredResponse(token) for the live response");
        }
    }

    /** Turns whatever the handler set into a bodyless 500, as after a handler exception. */
    void failed() {
        releaseRingBody();
        reset();
        status = 500;
    }

    /**
     * Formats the head. {@code keepAlive} decides the Connection header;
     * {@code http10} whether keep-alive must be said explicitly.
     */
    void writeHead(HeadWriter w, HttpDate date, boolean keepAlive, boolean http10) {
        w.bytes(HttpStatus.statusLine(status));
        w.bytes(DATE).date(date).crlf();
        if (contentType != null) {
            w.field(CONTENT_TYPE, contentType);
        }
        if (!HttpStatus.forbidsBody(status)) {
            w.bytes(CONTENT_LENGTH).bytes(COLON).decimal(bodyLength()).crlf();
        }
        if (cacheControl != null) {
            w.field(CACHE_CONTROL, cacheControl);
        }
        if (contentEncoding != null) {
            w.field(CONTENT_ENCODING, contentEncoding);
        }
        if (location != null) {
            w.field(LOCATION, location);
        }
        if (allowOrigin != null) {
            w.field(ALLOW_ORIGIN, allowOrigin);
        }
        if (allowMethods != null) {
            w.field(ALLOW_METHODS, allowMethods);
        }
        if (allowHeaders != null) {
            w.field(ALLOW_HEADERS, allowHeaders);
        }
        if (maxAge >= 0) {
            w.bytes(MAX_AGE).bytes(COLON).decimal(maxAge).crlf();
        }
        for (int i = 0; i < extraCount; i++) {
            w.field(extraNames[i], extraValues[i]);
        }
        if (!keepAlive) {
            w.bytes(CONNECTION_CLOSE);
        } else if (http10) {
            w.bytes(CONNECTION_KEEP_ALIVE);
        }
        w.crlf();
    }

    private static final byte[] COLON = ascii(": ");

    private static boolean isToken(CharSequence s) {
        if (s == null || s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
