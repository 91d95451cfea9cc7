package dev.ringhttp.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.http.RequestParser.Result;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Parsing and reading a request without asking for Strings must allocate nothing. */
class RequestParserAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;

    private static final byte[][] REQUESTS = {
        ParserHarness.bytes("GET /hello?name=x HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n"
                + "Connection: keep-alive\r\n\r\n"),
        ParserHarness.bytes("POST /api/items HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\n"
                + "Content-Length: 13\r\n\r\n{\"id\": 12345}"),
        ParserHarness.bytes("\r\nGET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: compress-zstd\r\n\r\n"),
    };

    private final ParserHarness h = new ParserHarness();
    private long sink;

    @Test
    void parsesKeepAliveRequestsWithoutAllocating() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        run(WARM_UP);
        long before = threads.getCurrentThreadAllocatedBytes();
        run(MEASURED);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isNotZero();
        assertThat((double) allocated / MEASURED).as("bytes allocated per request").isLessThan(1.0);
    }

    private void run(int count) {
        RequestParser parser = h.parser;
        ParsedRequest request = h.request;
        ByteBuffer buffer = h.buffer;
        for (int i = 0; i < count; i++) {
            byte[] bytes = REQUESTS[i % REQUESTS.length];
            buffer.put(0, bytes);
            parser.reset();
            // Two reads, as a socket may deliver them.
            int half = bytes.length / 2;
            if (parser.parse(buffer, half) != Result.NEED_MORE || parser.parse(buffer, bytes.length) != Result.COMPLETE) {
                throw new AssertionError("request " + i % REQUESTS.length + " not parsed");
            }
            if (request.method() == HttpMethod.GET && request.pathEquals("/hello")) {
                sink++;
            }
            if (request.pathStartsWith("/api") && request.headerEquals("content-type", "Application/JSON")) {
                sink += request.body().remaining();
            }
            if (request.keepAlive() && request.isWebSocketUpgrade() && request.offersZstdCompression()) {
                sink += request.webSocketKeyIndex();
            }
            sink += request.requestLength() + request.headerCount();
        }
    }
}
