package dev.ringhttp.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringhttp.core.http.ParsedRequest;
import dev.ringhttp.core.http.RequestParser;
import dev.ringhttp.core.http.RequestParser.Result;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link RequestParser} and {@link ParsedRequest} the way the server drives them: random
 * limits, random bytes (optionally behind a valid request head, so the fuzzer reaches the header
 * and body states quickly) appended in random splits, pipelined requests compacted to the
 * buffer's start after each complete one.
 *
 * Bodies that outgrow the buffer ask for a large-body buffer, which is lent or, as when the
 * server's pool is empty, refused.
 *
 * <p>Invariants: {@code parse} never throws; {@code NEED_MORE} only while the buffer has room;
 * on {@code COMPLETE} every accessor works, {@code 0 < requestLength <= filled} and the body is
 * within its limit; on {@code ERROR} the reason has an HTTP status; {@code LARGE_BODY} only when
 * large bodies are allowed, repeated until a buffer is lent; a final result repeats on the next call.
 *
 * <p>Without {@code JAZZER_FUZZ=1} this replays the corpus in
 * {@code src/test/resources/dev/ringhttp/core/fuzz/RequestParserFuzzTestInputs/parse/}.
 */
class RequestParserFuzzTest {

    private static final byte[][] PREFIXES = {
        new byte[0],
        "GET / HTTP/1.1\r\nHost: h\r\n".getBytes(StandardCharsets.ISO_8859_1),
        "POST /p?q=1 HTTP/1.1\r\nHost: h\r\nContent-Length: ".getBytes(StandardCharsets.ISO_8859_1),
        ("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ").getBytes(StandardCharsets.ISO_8859_1),
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
    };

    @FuzzTest(maxDuration = "60s")
    void parse(FuzzedDataProvider data) {
        int maxRequestLength = data.consumeInt(16, 1024);
        int maxLine = data.consumeInt(1, maxRequestLength);
        int maxHeaders = data.consumeInt(1, 16);
        boolean largeBodies = data.consumeBoolean();
        boolean lendLargeBodies = data.consumeBoolean();
        int maxBody = data.consumeInt(1, 4 * maxRequestLength);
        byte[] splits = data.consumeBytes(data.consumeInt(0, 16));
        byte[] prefix = PREFIXES[data.consumeInt(0, PREFIXES.length - 1)];
        byte[] rest = data.consumeRemainingAsBytes();
        byte[] input = new byte[prefix.length + rest.length];
        System.arraycopy(prefix, 0, input, 0, prefix.length);
        System.arraycopy(rest, 0, input, prefix.length, rest.length);

        ByteBuffer buffer = data.consumeBoolean() ? ByteBuffer.allocateDirect(maxRequestLength)
                : ByteBuffer.allocate(maxRequestLength);
        ParsedRequest request = new ParsedRequest(buffer, maxHeaders);
        RequestParser parser = new RequestParser(request, maxRequestLength, maxLine, maxHeaders, maxBody, largeBodies);

        int filled = 0;
        int fed = 0;
        int split = 0;
        while (true) {
            int chunk = splits.length == 0 ? input.length - fed : (splits[split++ % splits.length] & 0x3F) + 1;
            int n = Math.min(Math.min(chunk, input.length - fed), maxRequestLength - filled);
            buffer.put(filled, input, fed, n);
            filled += n;
            fed += n;
            Result result = parser.parse(buffer, filled);
            switch (result) {
                case NEED_MORE -> {
                    filled = parser.reclaim(buffer, filled);
                    assertThat(filled).as("NEED_MORE with a full buffer after reclaim").isLessThan(maxRequestLength);
                    if (fed == input.length) {
                        return;
                    }
                }
                case ERROR -> {
                    assertThat(parser.error()).isNotNull();
                    assertThat(parser.error().httpStatus()).as("status of " + parser.error()).isBetween(400, 599);
                    assertThat(parser.parse(buffer, filled)).isEqualTo(Result.ERROR);
                    return;
                }
                case LARGE_BODY -> {
                    assertThat(largeBodies).as("LARGE_BODY without large bodies").isTrue();
                    assertThat(parser.parse(buffer, filled)).isEqualTo(Result.LARGE_BODY);
                    if (!lendLargeBodies) {
                        return;
                    }
                    ByteBuffer large = ByteBuffer.allocate(maxBody);
                    parser.spillTo(large, large.asReadOnlyBuffer());
                }
                case COMPLETE -> {
                    int length = request.requestLength();
                    assertThat(length).isPositive().isLessThanOrEqualTo(filled);
                    assertThat(request.contentLength()).isLessThanOrEqualTo(maxBody);
                    touchEverything(request);
                    assertThat(parser.parse(buffer, filled)).isEqualTo(Result.COMPLETE);
                    // as the server does: keep the pipelined bytes, at index 0
                    int remaining = filled - length;
                    for (int i = 0; i < remaining; i++) {
                        buffer.put(i, buffer.get(length + i));
                    }
                    filled = remaining;
                    parser.reset();
                    if (fed == input.length && filled == 0) {
                        return;
                    }
                }
            }
        }
    }

    private static void touchEverything(ParsedRequest r) {
        assertThat(r.method()).isNotNull();
        String raw = r.rawPath();
        assertThat(raw).isNotNull();
        assertThat(r.path()).isNotNull();
        r.query();
        assertThat(r.pathEquals(r.path())).isTrue();
        assertThat(r.pathStartsWith("")).isTrue();
        int count = r.headerCount();
        for (int i = 0; i < count; i++) {
            String name = r.headerName(i);
            String value = r.headerValue(i);
            assertThat(name).isNotEmpty();
            assertThat(value).isNotNull();
            assertThat(r.header(name)).isNotNull();
        }
        r.header("Host");
        r.headerEquals("Connection", "close");
        ByteBuffer body = r.body();
        assertThat(body.remaining()).isEqualTo(r.contentLength());
        r.keepAlive();
        r.isHttp10();
        r.isWebSocketUpgrade();
        r.offersZstdCompression();
        r.hasBody();
        assertThat(r.toString()).isNotNull();
    }
}
