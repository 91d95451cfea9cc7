package dev.ringhttp.core.http;

import static dev.ringhttp.core.CloseReason.BAD_REQUEST;
import static dev.ringhttp.core.CloseReason.HEADERS_TOO_LARGE;
import static dev.ringhttp.core.CloseReason.LARGE_REQUEST;
import static dev.ringhttp.core.CloseReason.MISSING_CONTENT_LENGTH_HEADER;
import static dev.ringhttp.core.CloseReason.PATH_TOO_LONG;
import static dev.ringhttp.core.CloseReason.UNKNOWN_METHOD;
import static dev.ringhttp.core.CloseReason.UNSUPPORTED_HTTP_VERSION;
import static dev.ringhttp.core.CloseReason.UNSUPPORTED_TRANSFER_ENCODING;
import static dev.ringhttp.core.CloseReason.WS_BAD_KEY;
import static dev.ringhttp.core.CloseReason.WS_MISSING_KEY_HEADER;
import static dev.ringhttp.core.CloseReason.WS_MISSING_VERSION_HEADER;
import static dev.ringhttp.core.CloseReason.WS_UNEXPECTED_VERSION;

import dev.ringhttp.core.CloseReason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Requests shared by the error tests and the incremental-parsing tests. */
final class RequestCorpus {

    /** The RFC 6455 section 1.3 example key. */
    static final String RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static final String HOST = "Host: example.com\r\n";
    private static final String UPGRADE_HEAD = "GET /chat HTTP/1.1\r\n" + HOST + "Upgrade: websocket\r\nConnection: Upgrade\r\n";

    /** One request and what parsing it must give; {@code expected == null} means COMPLETE. */
    record Case(String name, String text, int maxRequestLength, int maxRequestLineLength, int maxHeaderCount,
            CloseReason expected) {

        Case(String name, String text, CloseReason expected) {
            this(name, text, ParserHarness.MAX_REQUEST_LENGTH, ParserHarness.MAX_REQUEST_LINE_LENGTH,
                    ParserHarness.MAX_HEADER_COUNT, expected);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private RequestCorpus() {
    }

    private static String get(String headers) {
        return "GET / HTTP/1.1\r\n" + HOST + headers + "\r\n";
    }

    static final List<Case> ERRORS = List.of(
            new Case("bare LF ending the request line", "GET / HTTP/1.1\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("bare LF ending a field line", "GET / HTTP/1.1\r\nHost: a\n\r\n", BAD_REQUEST),
            new Case("bare LF ending the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", BAD_REQUEST),
            new Case("bare LF before the request line", "\nGET / HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("bare CR in the request line", "GET /\r HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("bare CR in a field value", get("X: a\rb\r\n"), BAD_REQUEST),
            new Case("CR CR LF", get("X: a\r\r\n"), BAD_REQUEST),
            new Case("obs-fold with SP", get("X: a\r\n b\r\n"), BAD_REQUEST),
            new Case("obs-fold with HTAB", get("X: a\r\n\tb\r\n"), BAD_REQUEST),
            new Case("whitespace before the first field", "GET / HTTP/1.1\r\n " + HOST + "\r\n", BAD_REQUEST),
            new Case("SP between name and colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", BAD_REQUEST),
            new Case("HTAB between name and colon", get("X\t: a\r\n"), BAD_REQUEST),
            new Case("NUL in a value", get("X: a\u0000b\r\n"), BAD_REQUEST),
            new Case("DEL in a value", get("X: a\u007fb\r\n"), BAD_REQUEST),
            new Case("control character in a value", get("X: a\u0001b\r\n"), BAD_REQUEST),
            new Case("parenthesis in a name", get("X(y): b\r\n"), BAD_REQUEST),
            new Case("non-ASCII in a name", get("X\u00e9: b\r\n"), BAD_REQUEST),
            new Case("empty name", get(": b\r\n"), BAD_REQUEST),
            new Case("field without colon", get("X b\r\n"), BAD_REQUEST),
            new Case("invalid token char in method", "GE(T / HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("empty method", " / HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("unknown method", "BREW /pot HTTP/1.1\r\n" + HOST + "\r\n", UNKNOWN_METHOD),
            new Case("lower-case method", "get / HTTP/1.1\r\n" + HOST + "\r\n", UNKNOWN_METHOD),
            new Case("absolute-form with another scheme", "GET ftp://example.com/ HTTP/1.1\r\n" + HOST + "\r\n",
                    BAD_REQUEST),
            new Case("absolute-form without authority", "GET http:///x HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("absolute-form with a query but no path", "GET http://example.com?q HTTP/1.1\r\n" + HOST + "\r\n",
                    BAD_REQUEST),
            new Case("authority-form", "GET example.com:443 HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("CONNECT authority-form", "CONNECT example.com:443 HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("asterisk-form for GET", "GET * HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("asterisk-form with more", "OPTIONS *x HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("non-ASCII in target", "GET /caf\u00e9 HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("HTAB in target", "GET /a\tb HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            // RFC 3986 section 2.1: a '%' always starts pct-encoded = "%" HEXDIG HEXDIG, in the path and the query.
            new Case("'%' followed by non-hex digits", "GET /%zz HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("'%' followed by one hex digit", "GET /%0g HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("'%' ending the target", "GET /a% HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("'%' and one digit ending the target", "GET /a%0 HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("'%' ending the path before the query", "GET /a%?b HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("'%' with non-hex digits in the query", "GET /a?b=%zz HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("'%%'", "GET /%%41 HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("two SP after method", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("two SP before version", "GET /  HTTP/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("no version", "GET /\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("SP after version", "GET / HTTP/1.1 \r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("HTTP/2.0", "GET / HTTP/2.0\r\n" + HOST + "\r\n", UNSUPPORTED_HTTP_VERSION),
            new Case("HTTP/0.9", "GET / HTTP/0.9\r\n" + HOST + "\r\n", UNSUPPORTED_HTTP_VERSION),
            new Case("HTTP/0.9", "GET / HTTP/0.9\r\n" + HOST + "\r\n", UNSUPPORTED_HTTP_VERSION),
            new Case("garbage version", "GET / HTTP/1.x\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("lower-case version", "GET / http/1.1\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("two-digit version", "GET / HTTP/11\r\n" + HOST + "\r\n", BAD_REQUEST),
            new Case("too many headers", "GET / HTTP/1.1\r\n" + "X: y\r\n".repeat(16) + HOST + "\r\n",
                    HEADERS_TOO_LARGE),
            new Case("Content-Length with Transfer-Encoding",
                    "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                    BAD_REQUEST),
            new Case("Transfer-Encoding before Content-Length",
                    "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
                    BAD_REQUEST),
            new Case("a transfer coding other than chunked",
                    "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip, chunked\r\n\r\n",
                    UNSUPPORTED_TRANSFER_ENCODING),
            new Case("a chunk size that is not hex",
                    "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\nz\r\n", BAD_REQUEST),
            new Case("differing Content-Length",
                    "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", BAD_REQUEST),
            new Case("equal but differently written Content-Length",
                    "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\nContent-Length: 05\r\n\r\n", BAD_REQUEST),
            new Case("Content-Length with plus", contentLength("+5"), BAD_REQUEST),
            new Case("Content-Length with minus", contentLength("-5"), BAD_REQUEST),
            new Case("Content-Length with inner space", contentLength("1 0"), BAD_REQUEST),
            new Case("Content-Length in hex", contentLength("0x10"), BAD_REQUEST),
            new Case("Content-Length list", contentLength("5, 5"), BAD_REQUEST),
            new Case("empty Content-Length", contentLength(""), BAD_REQUEST),
            new Case("Content-Length beyond int", contentLength("2147483648"), LARGE_REQUEST),
            new Case("Content-Length beyond long", contentLength("123456789012345678901234567890"), LARGE_REQUEST),
            new Case("Content-Length beyond long then a letter", contentLength("12345678901234567890x"), BAD_REQUEST),
            new Case("POST without Content-Length", "POST / HTTP/1.1\r\n" + HOST + "\r\n", MISSING_CONTENT_LENGTH_HEADER),
            new Case("PUT without Content-Length", "PUT / HTTP/1.1\r\n" + HOST + "\r\n", MISSING_CONTENT_LENGTH_HEADER),
            new Case("PATCH without Content-Length", "PATCH / HTTP/1.1\r\n" + HOST + "\r\n",
                    MISSING_CONTENT_LENGTH_HEADER),
            new Case("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", BAD_REQUEST),
            new Case("duplicate Host", get(HOST), BAD_REQUEST),
            new Case("HTTP/1.0 with duplicate Host", "GET / HTTP/1.0\r\n" + HOST + HOST + "\r\n", BAD_REQUEST),
            new Case("request line over limit", "GET /" + "a".repeat(40) + " HTTP/1.1\r\n" + HOST + "\r\n",
                    1024, 32, 16, PATH_TOO_LONG),
            new Case("head larger than buffer", "GET / HTTP/1.1\r\n" + HOST + "X-Long: " + "v".repeat(200) + "\r\n\r\n",
                    128, 64, 16, HEADERS_TOO_LARGE),
            new Case("body larger than buffer", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 200\r\n\r\n",
                    128, 64, 16, LARGE_REQUEST),
            new Case("WebSocket without key", UPGRADE_HEAD + "Sec-WebSocket-Version: 13\r\n\r\n", WS_MISSING_KEY_HEADER),
            new Case("WebSocket key too short",
                    UPGRADE_HEAD + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=\r\nSec-WebSocket-Version: 13\r\n\r\n",
                    WS_BAD_KEY),
            new Case("WebSocket without version", UPGRADE_HEAD + "Sec-WebSocket-Key: " + RFC_KEY + "\r\n\r\n",
                    WS_MISSING_VERSION_HEADER),
            new Case("WebSocket version 8",
                    UPGRADE_HEAD + "Sec-WebSocket-Key: " + RFC_KEY + "\r\nSec-WebSocket-Version: 8\r\n\r\n",
                    WS_UNEXPECTED_VERSION));

    static final List<Case> VALID = List.of(
            new Case("simple GET", "GET /hello HTTP/1.1\r\n" + HOST + "\r\n", null),
            new Case("GET with query and headers", "GET /a/b?c=d&e HTTP/1.1\r\n" + HOST
                    + "Accept: */*\r\nX-Ows: \t spaced \t\r\nX-Latin: caf\u00e9\r\nX-Empty:\r\n\r\n", null),
            new Case("POST with body", "POST /submit HTTP/1.1\r\n" + HOST + "Content-Length: 11\r\n\r\nhello world", null),
            new Case("POST with body and a pipelined request", "POST /p HTTP/1.1\r\n" + HOST
                    + "Content-Length: 3\r\n\r\nabcGET /next HTTP/1.1\r\n" + HOST + "\r\n", null),
            new Case("leading empty lines", "\r\n\r\nDELETE /x HTTP/1.1\r\n" + HOST + "\r\n", null),
            new Case("HTTP/1.0 keep-alive", "HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", null),
            new Case("OPTIONS asterisk", "OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n", null),
            new Case("WebSocket upgrade", UPGRADE_HEAD + "Sec-WebSocket-Key: " + RFC_KEY
                    + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat, compress-zstd\r\n\r\n", null));

    private static String contentLength(String value) {
        return "POST / HTTP/1.1\r\n" + HOST + "Content-Length: " + value + "\r\n\r\n";
    }

    static Stream<Arguments> errors() {
        return ERRORS.stream().map(Arguments::of);
    }

    static Stream<Arguments> all() {
        return Stream.concat(VALID.stream(), ERRORS.stream()).map(Arguments::of);
    }
}
