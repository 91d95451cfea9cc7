package dev.ringhttp.core.http;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.http.RequestParser.Result;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One connection slot as the server builds it: a direct request buffer of capacity
 * maxRequestLength, its {@link ParsedRequest} and {@link RequestParser}, plus the feeding the
 * server does (append bytes, parse, compact after a complete request).
 *
 * <p>Strings are turned into bytes as ISO-8859-1, so {@code \u0080-\u00FF} become single raw
 * bytes. Bytes beyond {@code filled} are NUL, which the parser would refuse if it read them.
 */
final class ParserHarness {

    static final int MAX_REQUEST_LENGTH = 1024;
    static final int MAX_REQUEST_LINE_LENGTH = 256;
    static final int MAX_HEADER_COUNT = 16;

    final ByteBuffer buffer;
    final ParsedRequest request;
    final RequestParser parser;
    private final int maxRequestLength;
    private int filled;

    ParserHarness() {
        this(MAX_REQUEST_LENGTH, MAX_REQUEST_LINE_LENGTH, MAX_HEADER_COUNT);
    }

    ParserHarness(int maxRequestLength, int maxRequestLineLength, int maxHeaderCount) {
        this.maxRequestLength = maxRequestLength;
        this.buffer = ByteBuffer.allocateDirect(maxRequestLength);
        this.request = new ParsedRequest(buffer, maxHeaderCount);
        this.parser = new RequestParser(request, maxRequestLength, maxRequestLineLength, maxHeaderCount);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    int filled() {
        return filled;
    }

    /** Appends the bytes (as far as they fit) without parsing. */
    void append(byte[] bytes, int offset, int length) {
        int count = Math.min(length, maxRequestLength - filled);
        buffer.put(filled, bytes, offset, count);
        filled += count;
    }

    /** Appends {@code text} (as far as it fits) and parses once. */
    Result feed(String text) {
        byte[] b = bytes(text);
        append(b, 0, b.length);
        return parse();
    }

    /** Parses what is filled; after NEED_MORE, gives back the room a chunked body's framing took, as the server does. */
    Result parse() {
        Result result = parser.parse(buffer, filled);
        if (result == Result.NEED_MORE) {
            int reclaimed = parser.reclaim(buffer, filled);
            for (int i = reclaimed; i < filled; i++) {
                buffer.put(i, (byte) 0);
            }
            filled = reclaimed;
        }
        return result;
    }

    /**
     * Feeds all of {@code bytes}, at most {@code slice} at a time and never more than the
     * buffer's room, parsing after each, as reads from a socket would; stops at the first final
     * result, or returns NEED_MORE once everything is fed.
     */
    Result feedAll(byte[] bytes, int slice) {
        int fed = 0;
        Result result = Result.NEED_MORE;
        while (result == Result.NEED_MORE) {
            int n = Math.min(Math.min(slice, bytes.length - fed), maxRequestLength - filled);
            if (n == 0 && fed < bytes.length) {
                throw new AssertionError("NEED_MORE with no room left after reclaim (filled " + filled + ")");
            }
            append(bytes, fed, n);
            fed += n;
            result = parse();
            if (fed == bytes.length) {
                break;
            }
        }
        return result;
    }

    /** Appends and parses in chunks ending at {@code cuts} then at the end; stops at the first final result. */
    Result feedInChunks(byte[] bytes, int[] cuts) {
        int from = 0;
        Result result = Result.NEED_MORE;
        for (int i = 0; i <= cuts.length && result == Result.NEED_MORE; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            append(bytes, from, to - from);
            from = to;
            result = parse();
        }
        return result;
    }

    /** What the server does after a complete request: keeps the bytes after it, at index 0. */
    void compact() {
        int next = request.requestLength();
        int remaining = filled - next;
        for (int i = 0; i < remaining; i++) {
            buffer.put(i, buffer.get(next + i));
        }
        for (int i = remaining; i < filled; i++) {
            buffer.put(i, (byte) 0);
        }
        filled = remaining;
        parser.reset();
    }

    /** Parses again what is in the buffer, as the server does right after {@link #compact()}. */
    Result parseFilled() {
        return parser.parse(buffer, filled);
    }

    /** Everything the request and parser say, for comparing two parses of the same bytes. */
    record Snapshot(Result result, CloseReason error, String request) {
    }

    Snapshot snapshot(Result result) {
        if (result != Result.COMPLETE) {
            return new Snapshot(result, parser.error(), null);
        }
        StringBuilder s = new StringBuilder();
        s.append(request.method()).append(' ').append(request.rawPath()).append(" http10=").append(request.isHttp10())
                .append(" path=").append(request.path()).append(" query=").append(request.query());
        for (int i = 0; i < request.headerCount(); i++) {
            s.append(" [").append(request.headerName(i)).append('=').append(request.headerValue(i)).append(']');
        }
        ByteBuffer body = request.body();
        byte[] bodyBytes = new byte[body.remaining()];
        body.get(bodyBytes);
        s.append(" body=").append(new String(bodyBytes, StandardCharsets.ISO_8859_1))
                .append(" contentLength=").append(request.contentLength())
                .append(" requestLength=").append(request.requestLength())
                .append(" keepAlive=").append(request.keepAlive())
                .append(" ws=").append(request.isWebSocketUpgrade())
                .append(" wsKey=").append(request.isWebSocketUpgrade() ? request.webSocketKeyIndex() : -1)
                .append(" zstd=").append(request.offersZstdCompression());
        return new Snapshot(result, parser.error(), s.toString());
    }

    /** Parses {@code text} in one call on a fresh slot. */
    static Snapshot oneShot(String text, int maxRequestLength, int maxLine, int maxHeaders) {
        ParserHarness h = new ParserHarness(maxRequestLength, maxLine, maxHeaders);
        return h.snapshot(h.feedInChunks(bytes(text), new int[0]));
    }

    /** Parses {@code text} one byte per call on a fresh slot. */
    static Snapshot byteByByte(String text, int maxRequestLength, int maxLine, int maxHeaders) {
        byte[] b = bytes(text);
        int[] cuts = new int[Math.max(0, b.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        ParserHarness h = new ParserHarness(maxRequestLength, maxLine, maxHeaders);
        return h.snapshot(h.feedInChunks(b, cuts));
    }

    /** Parses {@code text} in random chunks (cut points drawn from {@code random}) on a fresh slot. */
    static Snapshot randomSplits(String text, Random random, int maxRequestLength, int maxLine, int maxHeaders) {
        byte[] b = bytes(text);
        List<Integer> cuts = new ArrayList<>();
        int at = 0;
        while (true) {
            at += 1 + random.nextInt(Math.max(1, b.length / 4));
            if (at >= b.length) {
                break;
            }
            cuts.add(at);
        }
        ParserHarness h = new ParserHarness(maxRequestLength, maxLine, maxHeaders);
        return h.snapshot(h.feedInChunks(b, cuts.stream().mapToInt(Integer::intValue).toArray()));
    }
}
