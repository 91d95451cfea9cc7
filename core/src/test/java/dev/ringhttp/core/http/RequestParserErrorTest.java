package dev.ringhttp.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.http.RequestParser.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RequestParserErrorTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ringhttp.core.http.RequestCorpus#errors")
    void refusesWithItsReason(RequestCorpus.Case c) {
        ParserHarness h = new ParserHarness(c.maxRequestLength(), c.maxRequestLineLength(), c.maxHeaderCount());

        assertThat(h.feed(c.text())).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(c.expected());
    }

    @Test
    void detectsBareLineFeedAsSoonAsItArrives() {
        ParserHarness h = new ParserHarness();

        assertThat(h.feed("GET / HTTP/1.1\r\nHost: a")).isEqualTo(Result.NEED_MORE);
        assertThat(h.feed("\n")).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.BAD_REQUEST);
    }

    @Test
    void detectsBareCarriageReturnAsSoonAsTheNextByteArrives() {
        ParserHarness h = new ParserHarness();

        assertThat(h.feed("GET / HTTP/1.1\r")).isEqualTo(Result.NEED_MORE);
        assertThat(h.feed("H")).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.BAD_REQUEST);
    }

    @Test
    void refusesLongRequestLineBeforeTheBufferIsFull() {
        ParserHarness h = new ParserHarness(1024, 32, 16);

        assertThat(h.feed("GET /" + "a".repeat(27))).as("32 bytes, at the limit").isEqualTo(Result.NEED_MORE);
        assertThat(h.feed("a")).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.PATH_TOO_LONG);
        assertThat(h.filled()).isEqualTo(33).isLessThan(h.buffer.capacity());
    }

    @Test
    void refusesLongRequestLineEvenWhenItsCarriageReturnIsNext() {
        ParserHarness h = new ParserHarness(1024, 32, 16);

        assertThat(h.feed("GET /" + "a".repeat(28) + "\r\n")).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.PATH_TOO_LONG);
    }

    @Test
    void refusesFullBufferInRequestLineAsHeadersTooLarge() {
        ParserHarness h = new ParserHarness(64, 1000, 16);

        assertThat(h.feed("GET /" + "a".repeat(58))).isEqualTo(Result.NEED_MORE);
        assertThat(h.feed("a")).isEqualTo(Result.ERROR);
        assertThat(h.filled()).isEqualTo(64);
        assertThat(h.parser.error()).isEqualTo(CloseReason.HEADERS_TOO_LARGE);
    }

    @Test
    void refusesFullBufferOfEmptyLines() {
        ParserHarness h = new ParserHarness(64, 1000, 16);

        assertThat(h.feed("\r\n".repeat(32))).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.HEADERS_TOO_LARGE);
    }

    @Test
    void refusesFullBufferWhileLineFeedIsMissing() {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r";
        ParserHarness h = new ParserHarness(head.length(), 100, 16);

        assertThat(h.feed(head)).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.HEADERS_TOO_LARGE);
    }

    @Test
    void refusesLargeBodyAsSoonAsTheHeadIsComplete() {
        String head = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: ";
        int room = 256 - (head.length() + "100\r\n\r\n".length());

        ParserHarness fits = new ParserHarness(256, 100, 16);
        assertThat(fits.feed(head + room + "\r\n\r\n")).isEqualTo(Result.NEED_MORE);

        ParserHarness tooLarge = new ParserHarness(256, 100, 16);
        assertThat(tooLarge.feed(head + (room + 1) + "\r\n\r\n")).isEqualTo(Result.ERROR);
        assertThat(tooLarge.parser.error()).isEqualTo(CloseReason.LARGE_REQUEST);
        assertThat(tooLarge.filled()).isLessThan(256);
    }

    @Test
    void staysFailedUntilReset() {
        ParserHarness h = new ParserHarness();
        assertThat(h.feed("GET / HTTP/9.9\r\n")).isEqualTo(Result.ERROR);

        assertThat(h.parseFilled()).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(CloseReason.UNSUPPORTED_HTTP_VERSION);

        h.parser.reset();
        assertThat(h.parser.error()).isNull();
    }
}
