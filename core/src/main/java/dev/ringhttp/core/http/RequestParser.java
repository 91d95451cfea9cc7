package dev.ringhttp.core.http;

import dev.ringhttp.core.CloseReason;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Parses HTTP/1.1 requests (RFC 9112) from one connection's request buffer into its
 * {@link ParsedRequest}, incrementally and without allocating.
 *
 * <p><b>Use.</b> The server reads socket bytes into the buffer after those already there and
 * calls {@link #parse(ByteBuffer, int)} with the number of bytes filled so far, and after
 * {@link Result#NEED_MORE} lets {@link #reclaim} give back the room a chunked body's framing
 * took (which may lower the fill level) before reading more. Each call resumes
 * where the previous one stopped: completed lines are never scanned again, only a CR whose LF
 * has not arrived yet is looked at twice. On {@link Result#COMPLETE} the target holds the
 * request, and bytes from {@link ParsedRequest#requestLength()} on belong to the next pipelined
 * request: the server moves them to the buffer's start and calls {@link #reset()}. On
 * {@link Result#ERROR}, {@link #error()} says why; the server answers its HTTP status and
 * closes. The buffer is read with absolute {@code get(int)} only, never its position or limit.
 *
 * <p><b>States.</b>
 * <ul>
 *   <li>{@code REQUEST_LINE}: skipping empty lines before the request line (RFC 9112 section 2.2
 *       lets a server ignore them; any number is skipped, and they count against
 *       maxRequestLength), then waiting for the request line's CRLF;
 *   <li>{@code HEADERS}: one field per line, until the empty line that ends the head; then the
 *       head-wide rules run ({@link HeadSemantics});
 *   <li>{@code BODY}: waiting until {@code Content-Length} body bytes have arrived (the body is
 *       never scanned);
 *   <li>{@code CHUNK_SIZE}, {@code CHUNK_DATA}, {@code CHUNK_DATA_END}, {@code TRAILERS}: a
 *       chunked body (RFC 9112 section 7.1): a size line ({@code 1*HEXDIG}, then extensions,
 *       which are checked for control characters and ignored), that many data bytes, CRLF; a
 *       size of 0 ends the chunks, and trailer field lines (checked, counted against
 *       maxHeaderCount, not recorded) end with an empty line. Each data byte is moved down,
 *       once, to follow the bytes decoded before it, so the body ends up contiguous right
 *       after the head; {@link #reclaim} then gives the framing's room back for more input;
 *   <li>{@code AWAIT_BODY_BUFFER}: the body will not fit the request buffer but is within
 *       maxBodyLength, and large bodies are allowed: every call returns {@link Result#LARGE_BODY}
 *       until the server lends a large-body buffer ({@link #spillTo}) or refuses the request.
 *       The decoded body so far moves there, and parsing resumes in the state it left;
 *   <li>{@code SPILL_BODY}: a {@code Content-Length} body that is copied, as it arrives, from the
 *       request buffer into the large-body buffer; {@link #reclaim} gives its room back. A
 *       chunked body's data goes to the large-body buffer the same way once it has one. Either
 *       way, what follows the request (the next pipelined one) stays in the request buffer;
 *   <li>{@code COMPLETE} and {@code FAILED}: final until {@link #reset()}; further calls return
 *       the same result.
 * </ul>
 * The scanner frames lines for the first two states: every line must end with CRLF, and a bare
 * LF, or a CR followed by anything but LF, is {@code BAD_REQUEST} as soon as the byte is seen
 * (RFC 9112 section 2.2 allows refusing them; accepting them is how smuggling works). Each
 * complete line goes to {@link RequestLineParser} or {@link HeaderFieldParser}, and every
 * refusal passes through {@link #fail(CloseReason)}.
 *
 * <p><b>Limits</b>, all fixed at construction (the server sizes them from its configuration):
 * <ul>
 *   <li><i>maxRequestLength</i>, the buffer's capacity: bytes of leading empty lines, head and
 *       body together (a chunked body counted decoded). A head whose empty line has not arrived
 *       when the buffer is full is {@code HEADERS_TOO_LARGE} (431), also while still in the
 *       request line, since the line limit below is enforced as soon as it is crossed. A body
 *       that would take the request past it asks for a large-body buffer
 *       ({@link Result#LARGE_BODY}), or is {@code LARGE_REQUEST} (413) without large bodies: a
 *       {@code Content-Length} as soon as the head is complete, a chunk at its size line,
 *       before any of its bytes is awaited. Such a body is read on through the room its head
 *       leaves, so a head that leaves less than {@link #minSpillRoom()} is
 *       {@code HEADERS_TOO_LARGE}. So a full buffer never returns {@code NEED_MORE}.
 *   <li><i>maxBodyLength</i>: bytes of the body (decoded, if chunked), wherever it lies; longer
 *       is {@code LARGE_REQUEST}, decided at the head or at the size line of the chunk that
 *       crosses it. A chunk size line longer than {@value #MAX_CHUNK_LINE_LENGTH} bytes is
 *       {@code BAD_REQUEST}.
 *   <li><i>maxRequestLineLength</i>: bytes of the request line, without its CRLF. The byte that
 *       crosses it is {@code PATH_TOO_LONG} (414) at once, without waiting for the CRLF or a
 *       full buffer.
 *   <li><i>maxHeaderCount</i>: header fields per request. The line of the field beyond it is
 *       {@code HEADERS_TOO_LARGE} (431). A header line has no length limit of its own beyond
 *       the buffer.
 * </ul>
 *
 * <p>Not thread-safe: one parser per connection slot, used on the event loop only.
 */
public final class RequestParser {

    /** What one call to {@link #parse} found. */
    public enum Result {
        /** The request is not complete yet and the buffer has room: read more and call again. */
        NEED_MORE,
        /** The request is complete; the target holds it. */
        COMPLETE,
        /** The request is refused; {@link #error()} says why. */
        ERROR,
        /**
         * The body will not fit the request buffer: lend the parser a large-body buffer with
         * {@link #spillTo} and call again, or refuse the request.
         */
        LARGE_BODY
    }

    private enum State {
        REQUEST_LINE, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, AWAIT_BODY_BUFFER, SPILL_BODY,
        COMPLETE, FAILED
    }

    /** Bytes of a chunk-size line, extensions included, without CRLF; longer ones are refused. */
    static final int MAX_CHUNK_LINE_LENGTH = 1024;
    /** The room, at most, that a head must leave for a body read on into a large-body buffer. */
    static final int MIN_SPILL_ROOM = 1024;
    /** Beyond this many significant hex digits a chunk size exceeds any buffer (2^28 and up). */
    private static final int MAX_CHUNK_SIZE_DIGITS = 7;
    private static final int HEX = 16;

    /** {@link #scanLine} found no complete line in the bytes filled so far. */
    private static final int LINE_INCOMPLETE = -1;
    /** {@link #scanLine} refused the line; {@link #fail} has recorded why. */
    private static final int LINE_REFUSED = -2;

    private final ParsedRequest target;
    private final int maxRequestLength;
    private final int maxRequestLineLength;
    private final int maxHeaderCount;
    private final int maxBodyLength;
    private final boolean largeBodies;

    private State state;
    /** In {@code AWAIT_BODY_BUFFER}: the state parsing resumes in once the body has a large buffer. */
    private State resumeState;
    /** The large-body buffer lent for this request, or null while the body lives in the request buffer. */
    private ByteBuffer spill;
    private ByteBuffer spillView;
    /** Body bytes in {@link #spill}. */
    private int spilled;
    /** The next byte to scan; every byte before it is framed into lines already. */
    private int scanIndex;
    /** The first byte of the line being scanned, or of what is not parsed yet in a chunked body. */
    private int lineStart;
    /** Chunked body: the end of the body decoded so far; bytes between it and lineStart are spent framing. */
    private int decodedEnd;
    /** Chunked body: data bytes of the current chunk still to come. */
    private int chunkRemaining;
    private int trailerCount;
    private CloseReason error;

    /**
     * @param target the request to fill; its buffer's capacity must equal maxRequestLength
     * @param maxRequestLength bytes of one whole request, at least 1
     * @param maxRequestLineLength bytes of the request line without CRLF, at least 1
     * @param maxHeaderCount header fields per request, from 1 to the target's capacity
     */
    public RequestParser(ParsedRequest target, int maxRequestLength, int maxRequestLineLength, int maxHeaderCount) {
        this(target, maxRequestLength, maxRequestLineLength, maxHeaderCount, maxRequestLength, false);
    }

    /**
     * @param maxBodyLength the longest body accepted, at least 1: longer ones are
     *     {@code LARGE_REQUEST}, whether or not they would fit the request buffer
     * @param largeBodies whether a body that does not fit the request buffer may ask for a
     *     large-body buffer ({@link Result#LARGE_BODY}); if not, it is {@code LARGE_REQUEST}
     */
    public RequestParser(ParsedRequest target, int maxRequestLength, int maxRequestLineLength, int maxHeaderCount,
            int maxBodyLength, boolean largeBodies) {
        this.target = Objects.requireNonNull(target, "target");
        if (maxRequestLength < 1 || maxRequestLength != target.buffer().capacity()) {
            throw new IllegalArgumentException("maxRequestLength must be at least 1 and equal the request buffer's"
                    + " capacity " + target.buffer().capacity() + ", was " + maxRequestLength);
        }
        if (maxRequestLineLength < 1) {
            throw new IllegalArgumentException("maxRequestLineLength must be at least 1, was " + maxRequestLineLength);
        }
        if (maxHeaderCount < 1 || maxHeaderCount > target.maxHeaderCount()) {
            throw new IllegalArgumentException("maxHeaderCount must be in [1, " + target.maxHeaderCount()
                    + "], the target's capacity, was " + maxHeaderCount);
        }
        this.maxRequestLength = maxRequestLength;
        this.maxRequestLineLength = maxRequestLineLength;
        if (maxBodyLength < 1) {
            throw new IllegalArgumentException("maxBodyLength must be at least 1, was " + maxBodyLength);
        }
        this.maxHeaderCount = maxHeaderCount;
        this.maxBodyLength = maxBodyLength;
        this.largeBodies = largeBodies;
        reset();
    }

    /** Starts a new request at index 0 of the buffer, forgetting the previous one. */
    public void reset() {
        state = State.REQUEST_LINE;
        scanIndex = 0;
        lineStart = 0;
        decodedEnd = 0;
        chunkRemaining = 0;
        trailerCount = 0;
        error = null;
        resumeState = null;
        spill = null;
        spillView = null;
        spilled = 0;
        target.clear();
    }

    /**
     * Parses bytes {@code [0, filled)} of the buffer, resuming where the previous call stopped.
     *
     * @param buffer the target's request buffer
     * @param filled bytes read into the buffer so far for this request and any after it; never
     *     less than in the previous call since {@link #reset()}, at most maxRequestLength
     * @return {@link Result#NEED_MORE} only while {@code filled < maxRequestLength}, or in a
     *     chunked body when {@link #reclaim} frees room: call it after every {@code NEED_MORE}
     * @throws IllegalArgumentException if {@code buffer} is not the target's or {@code filled}
     *     is out of range: a server bug, not bad input
     */
    public Result parse(ByteBuffer buffer, int filled) {
        if (buffer != target.buffer()) {
            throw new IllegalArgumentException("not the request buffer of this parser's target");
        }
        if (filled < scanIndex || filled > maxRequestLength) {
            throw new IllegalArgumentException("filled " + filled + " outside [" + scanIndex + ", "
                    + maxRequestLength + "]");
        }
        while (true) {
            switch (state) {
                case REQUEST_LINE, HEADERS -> {
                    int lineEnd = scanLine(buffer, filled);
                    if (lineEnd == LINE_INCOMPLETE) {
                        // The request line limit is enforced as it is crossed, so a full buffer
                        // here means the head as a whole is too large.
                        return filled == maxRequestLength ? fail(CloseReason.HEADERS_TOO_LARGE) : Result.NEED_MORE;
                    }
                    if (lineEnd == LINE_REFUSED) {
                        return Result.ERROR;
                    }
                    if (state == State.REQUEST_LINE) {
                        onRequestLine(buffer, lineEnd);
                    } else {
                        onHeaderLine(buffer, lineEnd);
                    }
                    lineStart = scanIndex;
                }
                case CHUNK_SIZE, TRAILERS -> {
                    int lineEnd = scanLine(buffer, filled);
                    if (lineEnd == LINE_INCOMPLETE) {
                        return awaitChunkedInput(filled);
                    }
                    if (lineEnd == LINE_REFUSED) {
                        return Result.ERROR;
                    }
                    if (state == State.CHUNK_SIZE) {
                        onChunkSizeLine(buffer, lineEnd);
                    } else {
                        onTrailerLine(buffer, lineEnd);
                    }
                    lineStart = scanIndex;
                    if (state == State.COMPLETE) {
                        return Result.COMPLETE;
                    }
                }
                case CHUNK_DATA -> {
                    int available = Math.min(chunkRemaining, filled - scanIndex);
                    if (spill != null) {
                        spill.put(spilled, buffer, scanIndex, available);
                        spilled += available;
                    } else {
                        if (available > 0 && decodedEnd != scanIndex) {
                            buffer.put(decodedEnd, buffer, scanIndex, available);
                        }
                        decodedEnd += available;
                    }
                    scanIndex += available;
                    lineStart = scanIndex;
                    chunkRemaining -= available;
                    if (chunkRemaining > 0) {
                        return awaitChunkedInput(filled);
                    }
                    state = State.CHUNK_DATA_END;
                }
                case CHUNK_DATA_END -> {
                    if (filled - scanIndex < 2) {
                        if (filled > scanIndex && buffer.get(scanIndex) != HttpChars.CR) {
                            return fail(CloseReason.BAD_REQUEST);
                        }
                        return awaitChunkedInput(filled);
                    }
                    if (buffer.get(scanIndex) != HttpChars.CR || buffer.get(scanIndex + 1) != HttpChars.LF) {
                        return fail(CloseReason.BAD_REQUEST);
                    }
                    scanIndex += 2;
                    lineStart = scanIndex;
                    state = State.CHUNK_SIZE;
                }
                case BODY -> {
                    if (filled < target.requestLength()) {
                        // requestLength <= maxRequestLength (onHeaderLine), so the buffer has room.
                        return Result.NEED_MORE;
                    }
                    state = State.COMPLETE;
                    return Result.COMPLETE;
                }
                case SPILL_BODY -> {
                    int available = Math.min(target.contentLength() - spilled, filled - scanIndex);
                    spill.put(spilled, buffer, scanIndex, available);
                    spilled += available;
                    scanIndex += available;
                    lineStart = scanIndex;
                    if (spilled < target.contentLength()) {
                        // What was copied is reclaimable, so the buffer is never full here.
                        return Result.NEED_MORE;
                    }
                    target.setSpilledBody(spillView, spilled, scanIndex);
                    state = State.COMPLETE;
                    return Result.COMPLETE;
                }
                case AWAIT_BODY_BUFFER -> {
                    return Result.LARGE_BODY;
                }
                case COMPLETE -> {
                    return Result.COMPLETE;
                }
                case FAILED -> {
                    return Result.ERROR;
                }
            }
        }
    }

    /** Whether the head is complete and accepted and body bytes are still to come. */
    public boolean awaitsBody() {
        return state == State.BODY || state == State.SPILL_BODY || awaitsChunkedInput();
    }

    /**
     * After {@link Result#LARGE_BODY}: takes {@code buffer} (capacity at least maxBodyLength) for
     * this request's body, moving there what was decoded so far, and resumes parsing with the next
     * call. {@code view} is a read-only view of {@code buffer} that {@link ParsedRequest#body()}
     * hands out. The buffer is the caller's again after {@link #reset()}.
     *
     * @throws IllegalStateException unless the last parse returned {@link Result#LARGE_BODY}
     */
    public void spillTo(ByteBuffer buffer, ByteBuffer view) {
        if (state != State.AWAIT_BODY_BUFFER) {
            throw new IllegalStateException("no body is waiting for a large buffer");
        }
        if (buffer.capacity() < maxBodyLength) {
            throw new IllegalArgumentException("a large-body buffer of " + buffer.capacity()
                    + " bytes cannot hold a body of up to " + maxBodyLength);
        }
        spill = buffer;
        spillView = view;
        int decoded = decodedEnd - target.headLength();
        spill.put(0, target.buffer(), target.headLength(), decoded);
        spilled = decoded;
        decodedEnd = target.headLength();
        state = resumeState;
        resumeState = null;
    }

    /** Bytes a head must leave free in the request buffer for a body copied to a large-body buffer. */
    int minSpillRoom() {
        return Math.min(MIN_SPILL_ROOM, maxRequestLength / 4);
    }

    /** Whether this request's body went to a large-body buffer. */
    public boolean spilled() {
        return spill != null;
    }

    /**
     * Stops for a large-body buffer, resuming in {@code resume}; without large bodies, the request
     * is too large. A body read through the room its head leaves in the request buffer needs some:
     * with none it could never be read, with a few bytes it would cost a read per few bytes.
     */
    private Result awaitBodyBuffer(State resume) {
        if (!largeBodies) {
            return fail(CloseReason.LARGE_REQUEST);
        }
        if (maxRequestLength - target.headLength() < minSpillRoom()) {
            return fail(CloseReason.HEADERS_TOO_LARGE);
        }
        resumeState = resume;
        state = State.AWAIT_BODY_BUFFER;
        return Result.LARGE_BODY;
    }

    /**
     * After {@link Result#NEED_MORE} in a chunked body: moves the bytes not parsed yet down over
     * the chunk framing already parsed, right after the body decoded so far, and returns the new
     * fill level (below maxRequestLength). In a body copied to a large-body buffer, the room of
     * what was copied is given back the same way. Read more bytes from there. Anywhere else it
     * returns {@code filled} unchanged. Moves at most one partial line or CRLF, never the body.
     */
    public int reclaim(ByteBuffer buffer, int filled) {
        if (buffer != target.buffer()) {
            throw new IllegalArgumentException("not the request buffer of this parser's target");
        }
        int spent = lineStart - decodedEnd;
        if (!(awaitsChunkedInput() || state == State.SPILL_BODY) || spent == 0) {
            return filled;
        }
        int unparsed = filled - lineStart;
        if (unparsed > 0) {
            buffer.put(decodedEnd, buffer, lineStart, unparsed);
        }
        lineStart -= spent;
        scanIndex -= spent;
        return filled - spent;
    }

    private boolean awaitsChunkedInput() {
        return state == State.CHUNK_SIZE || state == State.CHUNK_DATA || state == State.CHUNK_DATA_END
                || state == State.TRAILERS;
    }

    /**
     * Chunked input is incomplete: wait for more. A full buffer is fine while {@link #reclaim}
     * can free framing; with nothing to free, the request (decoded body plus the line in
     * progress) does not fit, and is refused.
     */
    private Result awaitChunkedInput(int filled) {
        if (filled == maxRequestLength && lineStart == decodedEnd) {
            // Moving the decoded body to a large buffer frees its room for the line in progress.
            return spill == null && decodedEnd > target.headLength() ? awaitBodyBuffer(state)
                    : fail(CloseReason.LARGE_REQUEST);
        }
        return Result.NEED_MORE;
    }

    /** {@code chunk-size [ chunk-ext ]}: RFC 9112 section 7.1.1. */
    private void onChunkSizeLine(ByteBuffer buffer, int lineEnd) {
        int i = lineStart;
        while (i < lineEnd && buffer.get(i) == '0') {
            i++;
        }
        boolean anyDigit = i > lineStart;
        long size = 0;
        int significant = 0;
        while (i < lineEnd && HttpChars.isHexDigit(buffer.get(i))) {
            anyDigit = true;
            if (++significant <= MAX_CHUNK_SIZE_DIGITS) {
                size = size * HEX + Character.digit(buffer.get(i), HEX);
            } else {
                size = Long.MAX_VALUE;
            }
            i++;
        }
        if (!anyDigit || !validChunkExtensions(buffer, i, lineEnd)) {
            fail(CloseReason.BAD_REQUEST);
            return;
        }
        int decoded = spill != null ? spilled : decodedEnd - target.headLength();
        if (size > maxBodyLength - decoded) {
            fail(CloseReason.LARGE_REQUEST);
            return;
        }
        if (size == 0) {
            state = State.TRAILERS;
            return;
        }
        chunkRemaining = (int) size;
        state = State.CHUNK_DATA;
        if (spill == null && size > maxRequestLength - decodedEnd) {
            awaitBodyBuffer(State.CHUNK_DATA);
        }
    }

    /**
     * {@code *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )}: nothing, or optional blanks then
     * {@code ';'}, and no control character anywhere. The extensions mean nothing to this server.
     */
    private static boolean validChunkExtensions(ByteBuffer buffer, int from, int lineEnd) {
        int i = from;
        while (i < lineEnd && HttpChars.isOws(buffer.get(i))) {
            i++;
        }
        if (i == lineEnd) {
            return i == from;
        }
        if (buffer.get(i) != ';') {
            return false;
        }
        for (; i < lineEnd; i++) {
            if (!HttpChars.isFieldValueByte(buffer.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A trailer field, or the empty line that ends the request. Trailer fields are checked, not kept. */
    private void onTrailerLine(ByteBuffer buffer, int lineEnd) {
        if (lineEnd == lineStart) {
            if (spill != null) {
                target.setSpilledBody(spillView, spilled, scanIndex);
            } else {
                target.setChunkedBody(decodedEnd - target.headLength(), scanIndex);
            }
            state = State.COMPLETE;
            return;
        }
        if (++trailerCount > maxHeaderCount) {
            fail(CloseReason.HEADERS_TOO_LARGE);
            return;
        }
        int i = lineStart;
        while (i < lineEnd && HttpChars.isTchar(buffer.get(i))) {
            i++;
        }
        if (i == lineStart || i == lineEnd || buffer.get(i) != ':') {
            fail(CloseReason.BAD_REQUEST);
            return;
        }
        for (i++; i < lineEnd; i++) {
            if (!HttpChars.isFieldValueByte(buffer.get(i))) {
                fail(CloseReason.BAD_REQUEST);
                return;
            }
        }
    }

    /** Why the last parse returned {@link Result#ERROR}; {@code null} otherwise. */
    public CloseReason error() {
        return error;
    }

    /**
     * Frames the next line: scans from {@link #scanIndex} for its CRLF.
     *
     * @return the index of the line's CR, with {@link #scanIndex} moved past the LF;
     *     {@link #LINE_INCOMPLETE}; or {@link #LINE_REFUSED}
     */
    private int scanLine(ByteBuffer buffer, int filled) {
        for (int i = scanIndex; i < filled; i++) {
            byte b = buffer.get(i);
            if (b == HttpChars.CR) {
                if (i + 1 == filled) {
                    // Look at this CR again once the byte after it has arrived.
                    scanIndex = i;
                    return LINE_INCOMPLETE;
                }
                if (buffer.get(i + 1) != HttpChars.LF) {
                    fail(CloseReason.BAD_REQUEST);
                    return LINE_REFUSED;
                }
                scanIndex = i + 2;
                return i;
            }
            if (b == HttpChars.LF) {
                fail(CloseReason.BAD_REQUEST);
                return LINE_REFUSED;
            }
            if (state == State.REQUEST_LINE && i - lineStart >= maxRequestLineLength) {
                // Byte i is the line's (i - lineStart + 1)-th, one more than allowed.
                fail(CloseReason.PATH_TOO_LONG);
                return LINE_REFUSED;
            }
            if (state == State.CHUNK_SIZE && i - lineStart >= MAX_CHUNK_LINE_LENGTH) {
                fail(CloseReason.BAD_REQUEST);
                return LINE_REFUSED;
            }
        }
        scanIndex = filled;
        return LINE_INCOMPLETE;
    }

    private void onRequestLine(ByteBuffer buffer, int lineEnd) {
        if (lineEnd == lineStart) {
            return;
        }
        CloseReason refused = RequestLineParser.parse(buffer, lineStart, lineEnd, target);
        if (refused != null) {
            fail(refused);
        } else {
            state = State.HEADERS;
        }
    }

    private void onHeaderLine(ByteBuffer buffer, int lineEnd) {
        CloseReason refused;
        if (lineEnd == lineStart) {
            refused = HeadSemantics.apply(target, scanIndex, maxBodyLength);
            if (refused == null) {
                state = target.isChunked() ? State.CHUNK_SIZE : State.BODY;
                decodedEnd = scanIndex;
                if (!target.isChunked() && target.contentLength() > maxRequestLength - scanIndex) {
                    awaitBodyBuffer(State.SPILL_BODY);
                }
            }
        } else {
            refused = HeaderFieldParser.parse(buffer, lineStart, lineEnd, target, maxHeaderCount);
        }
        if (refused != null) {
            fail(refused);
        }
    }

    /** The one way out for a refused request: records the reason, and the parser stays failed. */
    private Result fail(CloseReason reason) {
        error = reason;
        state = State.FAILED;
        return Result.ERROR;
    }
}
