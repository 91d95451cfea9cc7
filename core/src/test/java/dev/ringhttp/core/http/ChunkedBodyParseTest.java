package dev.ringhttp.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.http.RequestParser.Result;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Chunked request bodies (RFC 9112 section 7.1), decoded in place, fed as a socket would. */
class ChunkedBodyParseTest {

    private static final String HEAD = "POST /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";

    private static String body(ParsedRequest request) {
        return StandardCharsets.ISO_8859_1.decode(request.body()).toString();
    }

    @Test
    void decodesChunksIntoOneBodyAfterTheHead() {
        ParserHarness h = new ParserHarness();
        String request = HEAD + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        assertThat(h.feed(request)).isEqualTo(Result.COMPLETE);
        assertThat(body(h.request)).isEqualTo("hello world");
        assertThat(h.request.contentLength()).isEqualTo(11);
        assertThat(h.request.isChunked()).isTrue();
        assertThat(h.request.requestLength()).isEqualTo(request.length());
    }

    @Test
    void anySplitOfTheBytesDecodesTheSame() {
        String request = HEAD + "3;ext=1\r\nabc\r\n0A\r\n0123456789\r\n000\r\nX-Sum: 13\r\n\r\n";
        byte[] bytes = ParserHarness.bytes(request);
        for (int cut = 1; cut < bytes.length; cut++) {
            for (int slice : new int[] {1, 2, 7}) {
                ParserHarness h = new ParserHarness();
                assertThat(h.feedInChunks(bytes, new int[] {cut})).isEqualTo(Result.COMPLETE);
                assertThat(body(h.request)).as("cut at %d", cut).isEqualTo("abc0123456789");
                ParserHarness sliced = new ParserHarness();
                assertThat(sliced.feedAll(bytes, slice)).isEqualTo(Result.COMPLETE);
                assertThat(body(sliced.request)).as("slices of %d", slice).isEqualTo("abc0123456789");
            }
        }
    }

    @Test
    void framingLargerThanTheBufferFitsOnceSpent() {
        // 600 one-byte chunks: 3,600 bytes on the wire, a 600-byte body, a 1,024-byte buffer.
        StringBuilder request = new StringBuilder(HEAD);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            char c = (char) ('a' + i % 26);
            request.append("1\r\n").append(c).append("\r\n");
            expected.append(c);
        }
        request.append("0\r\n\r\n");
        ParserHarness h = new ParserHarness();
        assertThat(h.feedAll(ParserHarness.bytes(request.toString()), 100)).isEqualTo(Result.COMPLETE);
        assertThat(body(h.request)).isEqualTo(expected.toString());
    }

    @Test
    void thePipelinedRequestAfterAChunkedOneIsParsedNext() {
        ParserHarness h = new ParserHarness();
        assertThat(h.feed(HEAD + "2\r\nok\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n")).isEqualTo(Result.COMPLETE);
        assertThat(body(h.request)).isEqualTo("ok");
        h.compact();
        assertThat(h.parseFilled()).isEqualTo(Result.COMPLETE);
        assertThat(h.request.path()).isEqualTo("/next");
        assertThat(h.request.isChunked()).isFalse();
    }

    @Test
    void aBodyWhoseDecodedSizeOutgrowsTheBufferIs413AtTheSizeLine() {
        ParserHarness h = new ParserHarness();
        assertThat(h.feed(HEAD + "fffffffffff\r\n")).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.LARGE_REQUEST);

        ParserHarness sum = new ParserHarness();
        String almost = "x".repeat(900);
        assertThat(sum.feedAll(ParserHarness.bytes(HEAD + "384\r\n" + almost + "\r\n100\r\n"), 64))
                .isEqualTo(Result.ERROR);
        assertThat(sum.parser.error()).isEqualTo(CloseReason.LARGE_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\r\n",                     // no size
        "g\r\n",                    // not hex
        "-1\r\n",                   // a sign
        "5 x\r\nhello\r\n",         // something other than an extension after the size
        "5;a\u0001\r\nhello\r\n",   // a control character in an extension
        "5\r\nhelloXY",             // data not followed by CRLF
        "5\r\nhello\n",             // a bare LF after the data
        "5\nhello\r\n",             // a bare LF after the size
        "0\r\nno colon\r\n\r\n",     // a trailer that is not a field
        "0\r\n: empty name\r\n\r\n", // a trailer without a name
    })
    void malformedChunksAre400(String chunks) {
        ParserHarness h = new ParserHarness();
        assertThat(h.feed(HEAD + chunks)).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.BAD_REQUEST);
    }

    @Test
    void aSizeLineLongerThanItsLimitIs400() {
        ParserHarness h = new ParserHarness(4096, 256, 16);
        String longExtension = "5;" + "e".repeat(RequestParser.MAX_CHUNK_LINE_LENGTH);
        assertThat(h.feed(HEAD + longExtension)).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.BAD_REQUEST);
    }

    @Test
    void moreTrailersThanHeaderFieldsAre431() {
        ParserHarness h = new ParserHarness();
        assertThat(h.feed(HEAD + "0\r\n" + "T: 1\r\n".repeat(ParserHarness.MAX_HEADER_COUNT + 1) + "\r\n"))
                .isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.HEADERS_TOO_LARGE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Transfer-Encoding: chunked~Content-Length: 5                            | BAD_REQUEST",
        "Transfer-Encoding: chunked, chunked                                   | BAD_REQUEST",
        "Transfer-Encoding: chunked~Transfer-Encoding: chunked                   | BAD_REQUEST",
        "Transfer-Encoding: ,                                                  | BAD_REQUEST",
        "Transfer-Encoding: chunked, gzip                                      | UNSUPPORTED_TRANSFER_ENCODING",
        "Transfer-Encoding: chunked;x=1                                        | UNSUPPORTED_TRANSFER_ENCODING",
        "Transfer-Encoding: gzip                                               | UNSUPPORTED_TRANSFER_ENCODING",
        "Transfer-Encoding: gzip, chunked                                      | UNSUPPORTED_TRANSFER_ENCODING",
        "Transfer-Encoding: gzip~Transfer-Encoding: chunked                      | UNSUPPORTED_TRANSFER_ENCODING",
    })
    void transferCodingsOtherThanChunkedAloneAreRefused(String fields, CloseReason reason) {
        ParserHarness h = new ParserHarness();
        // '~' separates header lines: a CSV row cannot hold a line break.
        String request = "POST / HTTP/1.1\r\nHost: h\r\n" + fields.strip().replace("~", "\r\n") + "\r\n\r\n";
        assertThat(h.feed(request)).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "Chunked", " chunked ", ", chunked", "CHUNKED,"})
    void chunkedInAnyCaseAndWithEmptyListElementsIsAccepted(String value) {
        ParserHarness h = new ParserHarness();
        assertThat(h.feed("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding:" + value + "\r\n\r\n0\r\n\r\n"))
                .isEqualTo(Result.COMPLETE);
        assertThat(h.request.contentLength()).isZero();
    }

    @Test
    void anHttp10RequestWithTransferEncodingIs400() {
        ParserHarness h = new ParserHarness();
        assertThat(h.feed("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.BAD_REQUEST);
    }

    @Test
    void theBodyIsAwaitedUntilTheLastChunkAndItsTrailers() {
        ParserHarness h = new ParserHarness();
        assertThat(h.feed(HEAD)).isEqualTo(Result.NEED_MORE);
        assertThat(h.parser.awaitsBody()).isTrue();
        assertThat(h.feed("0\r\n")).isEqualTo(Result.NEED_MORE);
        assertThat(h.parser.awaitsBody()).isTrue();
        assertThat(h.feed("\r\n")).isEqualTo(Result.COMPLETE);
        assertThat(h.parser.awaitsBody()).isFalse();
    }
}
