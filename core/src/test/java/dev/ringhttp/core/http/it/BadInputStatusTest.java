package dev.ringhttp.core.http.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.TestServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error status of DESIGN.md's "Bad input", over a real socket: the client reads the status
 * line and {@code Connection: close}, then the socket closes, the reason is reported, and the
 * next connection is served.
 */
class BadInputStatusTest {

    private static final int MAX_REQUEST = 1024;
    /** Above MAX_REQUEST: a body between the two borrows a large-body buffer. */
    private static final int MAX_BODY = 4096;
    private static final int MAX_LINE = 128;
    private static final int MAX_HEADERS = 8;
    private static final String HOST = "Host: t\r\n";

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = ItSupport.start(ItSupport.smallConfig().maxRequestLength(MAX_REQUEST).maxRequestLineLength(MAX_LINE)
                .maxHeaderCount(MAX_HEADERS).maxRequestBodyLength(MAX_BODY), (request, response) -> response.body("ok"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String get(String headers) {
        return "GET / HTTP/1.1\r\n" + HOST + headers + "\r\n";
    }

    private static String post(String headers) {
        return "POST / HTTP/1.1\r\n" + HOST + headers + "\r\n";
    }

    static Stream<Arguments> badInput() {
        StringBuilder manyHeaders = new StringBuilder();
        for (int i = 0; i < MAX_HEADERS; i++) {
            manyHeaders.append("X-").append(i).append(": v\r\n");
        }
        return Stream.of(
                // 400 malformed
                Arguments.of("garbage request line", "HELLO\r\n\r\n", 400, CloseReason.BAD_REQUEST),
                Arguments.of("absolute-form target of another scheme", "GET ftp://t/ HTTP/1.1\r\n" + HOST + "\r\n", 400,
                        CloseReason.BAD_REQUEST),
                Arguments.of("missing Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400, CloseReason.BAD_REQUEST),
                Arguments.of("two Host fields", get(HOST), 400, CloseReason.BAD_REQUEST),
                Arguments.of("bare LF line ends", "GET / HTTP/1.1\n" + HOST.replace("\r", "") + "\n", 400, CloseReason.BAD_REQUEST),
                Arguments.of("bare CR in a value", get("X: a\rb\r\n"), 400, CloseReason.BAD_REQUEST),
                Arguments.of("obs-fold", get("X: a\r\n  folded\r\n"), 400, CloseReason.BAD_REQUEST),
                Arguments.of("whitespace before colon", get("X-Forwarded-For : 1.2.3.4\r\n"), 400, CloseReason.BAD_REQUEST),
                Arguments.of("NUL in a header", get("X: a\u0000b\r\n"), 400, CloseReason.BAD_REQUEST),
                Arguments.of("undecodable percent-encoding", "GET /%zz HTTP/1.1\r\n" + HOST + "\r\n", 400, CloseReason.BAD_REQUEST),
                Arguments.of("truncated percent-encoding", "GET /a%0 HTTP/1.1\r\n" + HOST + "\r\n", 400, CloseReason.BAD_REQUEST),
                Arguments.of("Content-Length and Transfer-Encoding",
                        post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n", 400, CloseReason.BAD_REQUEST),
                Arguments.of("differing duplicate Content-Length",
                        post("Content-Length: 5\r\nContent-Length: 6\r\n") + "hello!", 400, CloseReason.BAD_REQUEST),
                Arguments.of("Content-Length list", post("Content-Length: 5, 5\r\n") + "hello", 400, CloseReason.BAD_REQUEST),
                Arguments.of("Content-Length with plus sign", post("Content-Length: +5\r\n") + "hello", 400, CloseReason.BAD_REQUEST),
                Arguments.of("Content-Length with minus sign", post("Content-Length: -5\r\n"), 400, CloseReason.BAD_REQUEST),
                Arguments.of("Content-Length with inner space", post("Content-Length: 1 0\r\n") + "0123456789", 400, CloseReason.BAD_REQUEST),
                Arguments.of("Content-Length in hex", post("Content-Length: 0x5\r\n") + "hello", 400, CloseReason.BAD_REQUEST),
                Arguments.of("empty Content-Length", post("Content-Length:\r\n"), 400, CloseReason.BAD_REQUEST),
                // 411, 413, 414, 431
                Arguments.of("POST without Content-Length", post(""), 411, CloseReason.MISSING_CONTENT_LENGTH_HEADER),
                Arguments.of("body beyond maxRequestBodyLength", post("Content-Length: " + (MAX_BODY + 1) + "\r\n"), 413,
                        CloseReason.LARGE_REQUEST),
                Arguments.of("Content-Length overflowing a long", post("Content-Length: 99999999999999999999999999999\r\n"),
                        413, CloseReason.LARGE_REQUEST),
                Arguments.of("request line too long", "GET /" + "p".repeat(MAX_LINE) + " HTTP/1.1\r\n" + HOST + "\r\n", 414,
                        CloseReason.PATH_TOO_LONG),
                Arguments.of("too many header fields", get(manyHeaders.toString()), 431, CloseReason.HEADERS_TOO_LARGE),
                Arguments.of("header block beyond maxRequestLength", get("X-Big: " + "v".repeat(MAX_REQUEST) + "\r\n"), 431,
                        CloseReason.HEADERS_TOO_LARGE),
                // 501, 505
                Arguments.of("unknown method", "BREW / HTTP/1.1\r\n" + HOST + "\r\n", 501, CloseReason.UNKNOWN_METHOD),
                Arguments.of("lower-case method", "get / HTTP/1.1\r\n" + HOST + "\r\n", 501, CloseReason.UNKNOWN_METHOD),
                Arguments.of("a transfer coding other than chunked", post("Transfer-Encoding: gzip\r\n") + "0\r\n\r\n", 501,
                        CloseReason.UNSUPPORTED_TRANSFER_ENCODING),
                Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\n" + HOST + "\r\n", 505, CloseReason.UNSUPPORTED_HTTP_VERSION),
                Arguments.of("HTTP/0.9", "GET / HTTP/0.9\r\n" + HOST + "\r\n", 505,
                        CloseReason.UNSUPPORTED_HTTP_VERSION));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badInput")
    void refusedWithStatusThenClosed(String name, String request, int status, CloseReason reason) throws Exception {
        assertThat(reason.httpStatus()).as("the reason's own status").isEqualTo(status);
        try (RawConnection c = new RawConnection(server.port())) {
            RawResponse r = c.send(request).readResponse();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.statusLine()).startsWith("HTTP/1.1 " + status + " ");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(reason);
        ItSupport.assertStillServes(server);
    }

    @ParameterizedTest(name = "{0}: {2}, after a good request")
    @MethodSource("badInput")
    void refusedAfterAGoodRequestOnTheSameConnection(String name, String request, int status, CloseReason reason)
            throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("") + request);
            assertThat(c.readResponse().bodyText()).isEqualTo("ok");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(reason);
    }
}
