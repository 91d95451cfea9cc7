package dev.ringhttp.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.TestServer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile HTTP/1.1 input over real sockets: request smuggling shapes and malformed request lines
 * and headers that {@code http/it/BadInputStatusTest} does not already cover. Each case asserts
 * the status of DESIGN.md's "Bad input" (with {@code Connection: close}, then the server closes,
 * reporting the reason), or, for the shapes that are legal HTTP, the normal answer; and that a
 * fresh connection right after is served normally.
 */
class HttpHostileInputTest {

    private static final int MAX_REQUEST = 1024;
    private static final int MAX_LINE = 128;
    private static final int MAX_HEADERS = 8;
    private static final String HOST = "Host: t\r\n";

    private static TestServer server;
    private static final AtomicInteger run = new AtomicInteger();
    private static final AtomicInteger passed = new AtomicInteger();
    private static long startNanos;

    @BeforeAll
    static void start() {
        server = TestServer.start(ServerConfig.builder().maxConnections(16).maxWsConnections(4)
                .outgoingBufferSize(1 << 20).maxRequestLength(MAX_REQUEST).maxRequestLineLength(MAX_LINE)
                .maxHeaderCount(MAX_HEADERS), (request, response) -> response.body("ok:" + request.contentLength()),
                new dev.ringhttp.core.WebSocketHandler() {
                    @Override
                    public void onOpen(int wsId, dev.ringhttp.core.HttpRequest handshake) {
                    }

                    @Override
                    public void onMessage(int wsId, java.nio.ByteBuffer payload, boolean text) {
                    }
                });
        startNanos = System.nanoTime();
    }

    @AfterAll
    static void stop() {
        server.close();
        System.out.printf("HTTP hostile input: %d cases, %d passed, %d ms%n", run.get(), passed.get(),
                (System.nanoTime() - startNanos) / 1_000_000);
    }

    private static String get(String headers) {
        return "GET / HTTP/1.1\r\n" + HOST + headers + "\r\n";
    }

    private static String post(String headers) {
        return "POST / HTTP/1.1\r\n" + HOST + headers + "\r\n";
    }

    private static Arguments refused(String name, String request, CloseReason reason) {
        return Arguments.of(name, request, reason.httpStatus(), reason);
    }

    private static Arguments served(String name, String request) {
        return Arguments.of(name, request, 200, null);
    }

    static Stream<Arguments> hostile() {
        StringBuilder headerBlock = new StringBuilder();
        for (int i = 0; i < MAX_HEADERS - 2; i++) {
            headerBlock.append("X-").append(i).append(": ").append("v".repeat(170)).append("\r\n");
        }
        return Stream.of(
                // control characters and NUL
                refused("NUL in the target", "GET /a\u0000b HTTP/1.1\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("control character 0x01 in the target", "GET /a\u0001 HTTP/1.1\r\n" + HOST + "\r\n",
                        CloseReason.BAD_REQUEST),
                refused("DEL in the target", "GET /a\u007F HTTP/1.1\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("non-ASCII byte in the target", "GET /\u00e9 HTTP/1.1\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("NUL in the method", "GE\u0000T / HTTP/1.1\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("control character in the method", "G\u0007ET / HTTP/1.1\r\n" + HOST + "\r\n",
                        CloseReason.BAD_REQUEST),
                refused("NUL before the request line", "\u0000GET / HTTP/1.1\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("control character 0x01 in a header value", get("X: a\u0001b\r\n"), CloseReason.BAD_REQUEST),
                refused("DEL in a header value", get("X: a\u007Fb\r\n"), CloseReason.BAD_REQUEST),
                refused("NUL in a header name", get("X\u0000Y: v\r\n"), CloseReason.BAD_REQUEST),
                // request line shape
                refused("tab between method and target", "GET\t/ HTTP/1.1\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("two spaces between method and target", "GET  / HTTP/1.1\r\n" + HOST + "\r\n",
                        CloseReason.BAD_REQUEST),
                refused("trailing space after the version", "GET / HTTP/1.1 \r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("bare CR ending the request line", "GET / HTTP/1.1\r" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("bare LF after a good request line", "GET / HTTP/1.1\r\nHost: t\n\r\n", CloseReason.BAD_REQUEST),
                refused("HTTP/0.9 style request without version", "GET /\r\n\r\n", CloseReason.BAD_REQUEST),
                refused("lower-case version", "GET / http/1.1\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("version with two minor digits", "GET / HTTP/1.10\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("version without dot", "GET / HTTP/11\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("HTTP/2 connection preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                        CloseReason.UNSUPPORTED_HTTP_VERSION),
                refused("HTTP/3.0", "GET / HTTP/3.0\r\n" + HOST + "\r\n", CloseReason.UNSUPPORTED_HTTP_VERSION),
                refused("HTTP/0.9 version", "GET / HTTP/0.9\r\n" + HOST + "\r\n", CloseReason.UNSUPPORTED_HTTP_VERSION),
                // target forms
                served("absolute-form https target (RFC 9112 section 3.2.2)", "GET https://x/p HTTP/1.1\r\n" + HOST + "\r\n"),
                refused("absolute-form target of another scheme", "GET ftp://x/p HTTP/1.1\r\n" + HOST + "\r\n",
                        CloseReason.BAD_REQUEST),
                refused("authority-form target with GET", "GET x:80 HTTP/1.1\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                refused("CONNECT with authority-form", "CONNECT x:443 HTTP/1.1\r\n" + HOST + "\r\n",
                        CloseReason.BAD_REQUEST),
                refused("asterisk-form with GET", "GET * HTTP/1.1\r\n" + HOST + "\r\n", CloseReason.BAD_REQUEST),
                served("asterisk-form with OPTIONS", "OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n"),
                refused("target not starting with a slash", "GET index.html HTTP/1.1\r\n" + HOST + "\r\n",
                        CloseReason.BAD_REQUEST),
                // header names: token characters only (RFC 9110 section 5.6.2)
                refused("double quote in a header name", get("X\"Y: v\r\n"), CloseReason.BAD_REQUEST),
                refused("parenthesis in a header name", get("X(Y: v\r\n"), CloseReason.BAD_REQUEST),
                refused("at sign in a header name", get("X@Y: v\r\n"), CloseReason.BAD_REQUEST),
                refused("bracket in a header name", get("X[Y]: v\r\n"), CloseReason.BAD_REQUEST),
                refused("slash in a header name", get("X/Y: v\r\n"), CloseReason.BAD_REQUEST),
                refused("space inside a header name", get("X Y: v\r\n"), CloseReason.BAD_REQUEST),
                refused("empty header name", get(": v\r\n"), CloseReason.BAD_REQUEST),
                refused("header line without colon", get("NoColonHere\r\n"), CloseReason.BAD_REQUEST),
                refused("non-ASCII byte in a header name", get("X\u00e9: v\r\n"), CloseReason.BAD_REQUEST),
                refused("whitespace before the colon, tab", get("Host\t: t\r\n"), CloseReason.BAD_REQUEST),
                refused("header line starting with whitespace (obs-fold as first line)", "GET / HTTP/1.1\r\n X: v\r\n" + HOST
                        + "\r\n", CloseReason.BAD_REQUEST),
                // smuggling shapes around Content-Length and Transfer-Encoding
                refused("Transfer-Encoding with whitespace before the colon", post("Transfer-Encoding : chunked\r\n")
                        + "0\r\n\r\n", CloseReason.BAD_REQUEST),
                refused("Content-Length with whitespace before the colon", post("Content-Length : 5\r\n") + "hello",
                        CloseReason.BAD_REQUEST),
                refused("folded Transfer-Encoding", post("Transfer-Encoding:\r\n chunked\r\n") + "0\r\n\r\n",
                        CloseReason.BAD_REQUEST),
                refused("folded Content-Length", post("Content-Length: 5\r\n 5\r\n") + "hello", CloseReason.BAD_REQUEST),
                refused("Transfer-Encoding chunked then Content-Length", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")
                        + "hello", CloseReason.BAD_REQUEST),
                served("Transfer-Encoding upper-case value", post("transfer-encoding: CHUNKED\r\n") + "0\r\n\r\n"),
                refused("Transfer-Encoding gzip", post("Transfer-Encoding: gzip\r\n") + "0\r\n\r\n",
                        CloseReason.UNSUPPORTED_TRANSFER_ENCODING),
                refused("Transfer-Encoding chunked twice", post("Transfer-Encoding: chunked, chunked\r\n") + "0\r\n\r\n",
                        CloseReason.BAD_REQUEST),
                refused("Transfer-Encoding identity", post("Transfer-Encoding: identity\r\nContent-Length: 5\r\n") + "hello",
                        CloseReason.BAD_REQUEST),
                served("Transfer-Encoding on a GET", get("Transfer-Encoding: chunked\r\n") + "0\r\n\r\n"),
                refused("Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        CloseReason.BAD_REQUEST),
                refused("Content-Length with trailing garbage", post("Content-Length: 5x\r\n") + "hello",
                        CloseReason.BAD_REQUEST),
                refused("Content-Length as a decimal fraction", post("Content-Length: 5.0\r\n") + "hello",
                        CloseReason.BAD_REQUEST),
                refused("Content-Length with a non-ASCII digit", post("Content-Length: \u00b5\r\n") + "hello",
                        CloseReason.BAD_REQUEST),
                refused("Content-Length overflowing an int", post("Content-Length: 2147483648\r\n"),
                        CloseReason.LARGE_REQUEST),
                refused("Content-Length 2^64 (wraps to 0 in 64-bit arithmetic)", post("Content-Length: 18446744073709551616\r\n")
                        + "hello", CloseReason.LARGE_REQUEST),
                refused("Content-Length 2^32 + 5 (wraps to 5 in 32-bit arithmetic)", post("Content-Length: 4294967301\r\n")
                        + "hello", CloseReason.LARGE_REQUEST),
                refused("differing Content-Length, second one a list", post("Content-Length: 5\r\nContent-Length: 5, 6\r\n")
                        + "hello!", CloseReason.BAD_REQUEST),
                served("Content-Length with leading zeros", post("Content-Length: 0005\r\n") + "hello"),
                served("Content-Length surrounded by optional whitespace", post("Content-Length: \t5\t\r\n") + "hello"),
                // limits
                refused("long method blowing the request line", "A".repeat(MAX_LINE + 1) + " / HTTP/1.1\r\n" + HOST + "\r\n",
                        CloseReason.PATH_TOO_LONG),
                refused("request line of only a long target, no version", "GET /" + "a".repeat(MAX_LINE * 2),
                        CloseReason.PATH_TOO_LONG),
                refused("header block of fewer fields than the count limit beyond maxRequestLength",
                        get(headerBlock.toString()), CloseReason.HEADERS_TOO_LARGE),
                refused("endless header without CRLF", "GET / HTTP/1.1\r\nX: " + "v".repeat(MAX_REQUEST),
                        CloseReason.HEADERS_TOO_LARGE),
                refused("endless empty lines before the request line", "\r\n".repeat(MAX_REQUEST / 2 + 1),
                        CloseReason.HEADERS_TOO_LARGE),
                // Host
                refused("duplicate Host with differing values", get("Host: other\r\n"), CloseReason.BAD_REQUEST),
                refused("Host in HTTP/1.1 missing, other headers present", "GET / HTTP/1.1\r\nX: v\r\n\r\n",
                        CloseReason.BAD_REQUEST),
                served("empty lines before the request line are ignored", "\r\n\r\n" + get("")));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("hostile")
    void hostileInput(String name, String request, int status, CloseReason reason) throws Exception {
        run.incrementAndGet();
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(request);
            RawResponse r = c.readResponse();
            assertThat(r.status()).as("status for: %s", name).isEqualTo(status);
            if (reason != null) {
                assertThat(r.statusLine()).startsWith("HTTP/1.1 " + status + " ");
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
                assertThat(c.isClosedByPeer()).as("server closes after %d", status).isTrue();
            } else {
                assertThat(r.bodyText()).startsWith("ok:");
            }
        }
        if (reason != null) {
            assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(reason);
        } else {
            server.nextClose(ConnectionType.HTTP); // our client closed: EXPECTED_EOF
        }
        try (RawConnection fresh = new RawConnection(server.port())) {
            RawResponse ok = fresh.send(get("Connection: close\r\n")).readResponse();
            assertThat(ok.status()).as("a fresh connection is served").isEqualTo(200);
            assertThat(ok.bodyText()).isEqualTo("ok:0");
        }
        server.nextClose(ConnectionType.HTTP);
        passed.incrementAndGet();
    }
}
