package dev.ringhttp.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.http.RequestParser.Result;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestParserTest {

    private final ParserHarness h = new ParserHarness();

    @Test
    void parsesSimpleGet() {
        String text = "GET /hello HTTP/1.1\r\nHost: example.com\r\n\r\n";

        assertThat(h.feed(text)).isEqualTo(Result.COMPLETE);

        ParsedRequest r = h.request;
        assertThat(h.parser.error()).isNull();
        assertThat(r.method()).isEqualTo(HttpMethod.GET);
        assertThat(r.isHttp10()).isFalse();
        assertThat(r.rawPath()).isEqualTo("/hello");
        assertThat(r.path()).isEqualTo("/hello");
        assertThat(r.query()).isNull();
        assertThat(r.headerCount()).isEqualTo(1);
        assertThat(r.headerName(0)).isEqualTo("Host");
        assertThat(r.headerValue(0)).isEqualTo("example.com");
        assertThat(r.keepAlive()).isTrue();
        assertThat(r.contentLength()).isZero();
        assertThat(r.hasBody()).isFalse();
        assertThat(r.body().remaining()).isZero();
        assertThat(r.requestLength()).isEqualTo(text.length());
        assertThat(r.isWebSocketUpgrade()).isFalse();
        assertThat(r.offersZstdCompression()).isFalse();
        assertThat(r.toString()).isEqualTo("GET /hello HTTP/1.1 (1 headers, 0 body bytes)");
    }

    @Test
    void keepsConnectionIdAndRemoteAddressAcrossRequests() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 4242);
        h.request.setConnectionId(7);
        h.request.setRemoteAddress(address);

        h.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        h.compact();

        assertThat(h.request.connectionId()).isEqualTo(7);
        assertThat(h.request.remoteAddress()).isSameAs(address);
    }

    @ParameterizedTest
    @EnumSource(HttpMethod.class)
    void parsesEveryMethod(HttpMethod method) {
        String target = method == HttpMethod.OPTIONS ? "*" : "/x";
        assertThat(h.feed(method + " " + target + " HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"))
                .isEqualTo(Result.COMPLETE);
        assertThat(h.request.method()).isEqualTo(method);
        assertThat(h.request.path()).isEqualTo(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%20b", "/%2F%2f", "/%00", "/%C3%28", "/%ff?q=%E2%82", "/x?q=%41%5a"})
    void keepsWellFormedPercentEncodingAsSentWhateverItDecodesTo(String target) {
        assertThat(h.feed("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(Result.COMPLETE);
        assertThat(h.request.rawPath()).isEqualTo(target);
        int query = target.indexOf('?');
        assertThat(h.request.path()).isEqualTo(query < 0 ? target : target.substring(0, query));
    }

    @Test
    void splitsPathAndQueryAtFirstQuestionMark() {
        h.feed("GET /search?q=a?b&x=1 HTTP/1.1\r\nHost: a\r\n\r\n");

        ParsedRequest r = h.request;
        assertThat(r.rawPath()).isEqualTo("/search?q=a?b&x=1");
        assertThat(r.path()).isEqualTo("/search");
        assertThat(r.query()).isEqualTo("q=a?b&x=1");
        assertThat(r.pathEquals("/search")).isTrue();
        assertThat(r.pathEquals("/search?q=a?b&x=1")).isFalse();
        assertThat(r.pathEquals("/Search")).as("paths are case-sensitive").isFalse();
        assertThat(r.pathEquals("/searc")).isFalse();
        assertThat(r.pathStartsWith("/sea")).isTrue();
        assertThat(r.pathStartsWith("/search")).isTrue();
        assertThat(r.pathStartsWith("/search?")).isFalse();
        assertThat(r.pathStartsWith("")).isTrue();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "http://example.com/search?q=1    | /search | q=1",
        "HTTPS://Example.com:8443/a/b     | /a/b    | ",
        "http://user@example.com/x?       | /x      | ''",
        "http://example.com               | /       | ",
    })
    void servesAnAbsoluteFormTargetByItsPathAndQuery(String target, String path, String query) {
        assertThat(h.feed("GET " + target.strip() + " HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(Result.COMPLETE);
        assertThat(h.request.path()).isEqualTo(path);
        assertThat(h.request.query()).isEqualTo(query);
        assertThat(h.request.pathEquals(path)).isTrue();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"HTTP/1.2", "HTTP/1.9"})
    void servesAMinorVersionAbove11As11(String version) {
        assertThat(h.feed("GET / " + version + "\r\nHost: a\r\n\r\n")).isEqualTo(Result.COMPLETE);
        assertThat(h.request.isHttp10()).isFalse();
        assertThat(h.request.keepAlive()).isTrue();
    }

    @Test
    void reportsEmptyQueryAfterTrailingQuestionMark() {
        h.feed("GET /x? HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(h.request.path()).isEqualTo("/x");
        assertThat(h.request.query()).isEmpty();
    }

    @Test
    void trimsOptionalWhitespaceAroundValues() {
        h.feed("GET / HTTP/1.1\r\nHost:a\r\nX-A: \t value \t \r\nX-Empty:\r\nX-Blank: \t \r\nX-Inner: a \t b\r\n\r\n");

        ParsedRequest r = h.request;
        assertThat(r.headerCount()).isEqualTo(5);
        assertThat(r.header("Host")).isEqualTo("a");
        assertThat(r.header("X-A")).isEqualTo("value");
        assertThat(r.header("X-Empty")).isEmpty();
        assertThat(r.header("X-Blank")).isEmpty();
        assertThat(r.header("X-Inner")).isEqualTo("a \t b");
    }

    @Test
    void looksUpHeadersIgnoringCase() {
        h.feed("GET / HTTP/1.1\r\nHost: a\r\nContent-Type: Text/Plain\r\nAccept: a/b\r\nAccept: c/d\r\n\r\n");

        ParsedRequest r = h.request;
        assertThat(r.header("content-type")).isEqualTo("Text/Plain");
        assertThat(r.header("CONTENT-TYPE")).isEqualTo("Text/Plain");
        assertThat(r.header("Content-Typ")).isNull();
        assertThat(r.header("missing")).isNull();
        assertThat(r.headerEquals("content-TYPE", "text/plain")).isTrue();
        assertThat(r.headerEquals("content-type", "text/plai")).isFalse();
        assertThat(r.header("accept")).as("first of several").isEqualTo("a/b");
        assertThat(r.headerEquals("Accept", "C/D")).as("any of several").isTrue();
        assertThat(r.headerEquals("Missing", "")).isFalse();
    }

    @Test
    void decodesObsTextInValuesAsLatin1() {
        h.feed("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\u00e9\r\n\r\n");

        assertThat(h.request.header("x-name")).isEqualTo("caf\u00e9");
        assertThat(h.request.headerEquals("X-NAME", "CAF\u00e9")).isTrue();
        assertThat(h.request.headerEquals("X-NAME", "CAF\u00c9")).as("only ASCII folds").isFalse();
        assertThat(h.request.headerEquals("X-NAME", "caf\u0100")).isFalse();
    }

    @Test
    void refusesHeaderIndexOutOfRange() {
        h.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThatThrownBy(() -> h.request.headerName(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> h.request.headerValue(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void exposesBodyAsReadOnlyView() {
        String head = "POST /submit HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n";
        assertThat(h.feed(head + "hello")).isEqualTo(Result.NEED_MORE);
        assertThat(h.feed(" world")).isEqualTo(Result.COMPLETE);

        ParsedRequest r = h.request;
        assertThat(r.hasBody()).isTrue();
        assertThat(r.contentLength()).isEqualTo(11);
        assertThat(r.requestLength()).isEqualTo(head.length() + 11);
        ByteBuffer body = r.body();
        assertThat(body.isReadOnly()).isTrue();
        assertThat(body.position()).isEqualTo(head.length());
        assertThat(StandardCharsets.US_ASCII.decode(body).toString()).isEqualTo("hello world");
        assertThat(r.body()).as("re-bounded on each call").isSameAs(body);
        assertThat(body.remaining()).isEqualTo(11);
        assertThatThrownBy(() -> body.put((byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
        assertThat(h.buffer.position()).isZero();
        assertThat(h.buffer.limit()).isEqualTo(h.buffer.capacity());
    }

    @Test
    void acceptsContentLengthWithLeadingZeros() {
        assertThat(h.feed("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 007\r\n\r\n1234567")).isEqualTo(Result.COMPLETE);
        assertThat(h.request.contentLength()).isEqualTo(7);
    }

    @Test
    void consumesBodiesOfGetAndHead() {
        String get = "GET /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
        String head = "HEAD /b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nxy";
        String next = "GET /c HTTP/1.1\r\nHost: a\r\n\r\n";

        assertThat(h.feed(get + head + next)).isEqualTo(Result.COMPLETE);
        assertThat(h.request.method()).isEqualTo(HttpMethod.GET);
        assertThat(h.request.requestLength()).isEqualTo(get.length());
        h.compact();
        assertThat(h.parseFilled()).isEqualTo(Result.COMPLETE);
        assertThat(h.request.method()).isEqualTo(HttpMethod.HEAD);
        assertThat(StandardCharsets.US_ASCII.decode(h.request.body()).toString()).isEqualTo("xy");
        h.compact();
        assertThat(h.parseFilled()).isEqualTo(Result.COMPLETE);
        assertThat(h.request.path()).isEqualTo("/c");
    }

    @Test
    void parsesPipelinedRequestsAfterCompaction() {
        String first = "POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody";
        String second = "GET /two?k=v HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        String thirdPart = "GET /thr";

        assertThat(h.feed(first + second + thirdPart)).isEqualTo(Result.COMPLETE);
        assertThat(h.request.path()).isEqualTo("/one");
        assertThat(h.request.requestLength()).isEqualTo(first.length());
        assertThat(h.parseFilled()).as("stays complete until reset").isEqualTo(Result.COMPLETE);

        h.compact();
        assertThat(h.parseFilled()).isEqualTo(Result.COMPLETE);
        assertThat(h.request.path()).isEqualTo("/two");
        assertThat(h.request.query()).isEqualTo("k=v");
        assertThat(h.request.headerCount()).isEqualTo(2);
        assertThat(h.request.hasBody()).isFalse();
        assertThat(h.request.keepAlive()).isFalse();

        h.compact();
        assertThat(h.filled()).isEqualTo(thirdPart.length());
        assertThat(h.parseFilled()).isEqualTo(Result.NEED_MORE);
        assertThat(h.feed("ee HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(Result.COMPLETE);
        assertThat(h.request.path()).isEqualTo("/three");
        assertThat(h.request.headerCount()).isEqualTo(1);
    }

    @Test
    void skipsEmptyLinesBeforeRequestLine() {
        String text = "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n";

        assertThat(h.feed(text)).isEqualTo(Result.COMPLETE);
        assertThat(h.request.path()).isEqualTo("/");
        assertThat(h.request.requestLength()).isEqualTo(text.length());
    }

    @Test
    void acceptsAsteriskFormForOptions() {
        assertThat(h.feed("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(Result.COMPLETE);
        assertThat(h.request.path()).isEqualTo("*");
        assertThat(h.request.query()).isNull();
        assertThat(h.request.pathEquals("*")).isTrue();
    }

    @Test
    void keepsHttp11AliveUnlessClose() {
        assertKeepAlive("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true);
        assertKeepAlive("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", true);
        assertKeepAlive("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false);
        assertKeepAlive("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo , CLOSE\r\n\r\n", false);
        assertKeepAlive("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n", true);
        assertKeepAlive("GET / HTTP/1.1\r\nHost: a\r\nConnection: x\r\nConnection: Close\r\n\r\n", false);
    }

    @Test
    void keepsHttp10AliveOnlyWhenAsked() {
        assertThat(assertKeepAlive("GET / HTTP/1.0\r\n\r\n", false).isHttp10()).isTrue();
        assertKeepAlive("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true);
        assertKeepAlive("GET / HTTP/1.0\r\nConnection: keep-alive,,\r\n\r\n", true);
        assertKeepAlive("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false);
        assertKeepAlive("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", false);
    }

    @Test
    void acceptsHttp10WithoutHost() {
        assertThat(h.feed("GET / HTTP/1.0\r\n\r\n")).isEqualTo(Result.COMPLETE);
        assertThat(h.request.headerCount()).isZero();
    }

    @Test
    void acceptsIdenticalDuplicateContentLength() {
        assertThat(h.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\ncontent-length:2 \r\n\r\nok"))
                .isEqualTo(Result.COMPLETE);
        assertThat(h.request.contentLength()).isEqualTo(2);
    }

    @Test
    void acceptsRequestLineOfExactlyMaxLength() {
        ParserHarness slot = new ParserHarness(1024, 20, 16);
        String line = "GET /123456 HTTP/1.1";
        assertThat(line).hasSize(20);

        assertThat(slot.feed(line + "\r\nHost: a\r\n\r\n")).isEqualTo(Result.COMPLETE);
    }

    @Test
    void acceptsExactlyMaxHeaderCount() {
        ParserHarness slot = new ParserHarness(1024, 256, 2);

        assertThat(slot.feed("GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\r\n")).isEqualTo(Result.COMPLETE);
        assertThat(slot.request.headerCount()).isEqualTo(2);
    }

    @Test
    void acceptsRequestFillingTheBufferExactly() {
        String head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 20\r\n\r\n";
        ParserHarness slot = new ParserHarness(head.length() + 20, 256, 16);

        assertThat(slot.feed(head + "b".repeat(19))).isEqualTo(Result.NEED_MORE);
        assertThat(slot.feed("b")).isEqualTo(Result.COMPLETE);
        assertThat(slot.request.requestLength()).isEqualTo(slot.buffer.capacity());
    }

    @Test
    void refusesMisuse() {
        ByteBuffer other = ByteBuffer.allocateDirect(ParserHarness.MAX_REQUEST_LENGTH);
        assertThatThrownBy(() -> h.parser.parse(other, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.parser.parse(h.buffer, ParserHarness.MAX_REQUEST_LENGTH + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParsedRequest(other, 0)).isInstanceOf(IllegalArgumentException.class);
        ParsedRequest request = new ParsedRequest(other, 4);
        assertThatThrownBy(() -> new RequestParser(request, 512, 100, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestParser(request, 1024, 0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestParser(request, 1024, 100, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ParsedRequest assertKeepAlive(String text, boolean expected) {
        ParserHarness slot = new ParserHarness();
        assertThat(slot.feed(text)).isEqualTo(Result.COMPLETE);
        assertThat(slot.request.keepAlive()).as(text).isEqualTo(expected);
        return slot.request;
    }
}
