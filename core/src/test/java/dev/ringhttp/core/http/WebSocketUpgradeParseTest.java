package dev.ringhttp.core.http;

import static dev.ringhttp.core.http.RequestCorpus.RFC_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.http.RequestParser.Result;
import org.junit.jupiter.api.Test;

class WebSocketUpgradeParseTest {

    private static final String KEY = "Sec-WebSocket-Key: " + RFC_KEY + "\r\n";
    private static final String VERSION = "Sec-WebSocket-Version: 13\r\n";

    private final ParserHarness h = new ParserHarness();

    private static String request(String method, String headers) {
        return method + " /chat HTTP/1.1\r\nHost: server.example.com\r\n" + headers + "\r\n";
    }

    private static String upgrade(String extra) {
        return request("GET", "Upgrade: websocket\r\nConnection: Upgrade\r\n" + extra);
    }

    @Test
    void recognisesRfc6455ExampleHandshake() {
        assertThat(h.feed(upgrade(KEY + "Origin: http://example.com\r\n" + VERSION))).isEqualTo(Result.COMPLETE);

        ParsedRequest r = h.request;
        assertThat(r.isWebSocketUpgrade()).isTrue();
        assertThat(r.keepAlive()).isTrue();
        assertThat(r.offersZstdCompression()).isFalse();
        int key = r.webSocketKeyIndex();
        StringBuilder keyText = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            keyText.append((char) h.buffer.get(key + i));
        }
        assertThat(keyText.toString()).isEqualTo(RFC_KEY);
    }

    @Test
    void matchesUpgradeAndConnectionTokensInListsIgnoringCase() {
        assertThat(h.feed(request("GET", "Upgrade: h2c , WebSocket\r\nConnection: keep-alive\r\nconnection: UPGRADE\r\n"
                + KEY + VERSION))).isEqualTo(Result.COMPLETE);
        assertThat(h.request.isWebSocketUpgrade()).isTrue();
    }

    @Test
    void acceptsKeyWithNonZeroPaddingBits() {
        assertThat(h.feed(upgrade("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR==\r\n" + VERSION)))
                .isEqualTo(Result.COMPLETE);
        assertThat(h.request.isWebSocketUpgrade()).isTrue();
    }

    @Test
    void treatsUpgradeWithoutConnectionUpgradeAsOrdinaryRequest() {
        assertThat(h.feed(request("GET", "Upgrade: websocket\r\nConnection: keep-alive\r\n"))).isEqualTo(Result.COMPLETE);
        assertThat(h.request.isWebSocketUpgrade()).isFalse();
    }

    @Test
    void treatsUpgradeWithOtherMethodAsOrdinaryRequest() {
        assertThat(h.feed(request("POST", "Upgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n")))
                .isEqualTo(Result.COMPLETE);
        assertThat(h.request.isWebSocketUpgrade()).isFalse();
    }

    @Test
    void treatsOtherUpgradeProtocolAsOrdinaryRequest() {
        assertThat(h.feed(request("GET", "Upgrade: websockets\r\nConnection: Upgrade\r\n"))).isEqualTo(Result.COMPLETE);
        assertThat(h.request.isWebSocketUpgrade()).isFalse();
    }

    @Test
    void refusesMissingKey() {
        assertRefused(upgrade(VERSION), CloseReason.WS_MISSING_KEY_HEADER);
    }

    @Test
    void refusesKeyOfWrongLength() {
        assertRefused(upgrade("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\r\n" + VERSION), CloseReason.WS_BAD_KEY);
    }

    @Test
    void refusesKeyWithoutPadding() {
        assertRefused(upgrade("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQAA\r\n" + VERSION), CloseReason.WS_BAD_KEY);
    }

    @Test
    void refusesKeyOutsideBase64Alphabet() {
        assertRefused(upgrade("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZ-==\r\n" + VERSION), CloseReason.WS_BAD_KEY);
    }

    @Test
    void refusesKeyOfSeventeenBytes() {
        assertRefused(upgrade("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=A\r\n" + VERSION), CloseReason.WS_BAD_KEY);
    }

    @Test
    void refusesTwoKeys() {
        assertRefused(upgrade(KEY + KEY + VERSION), CloseReason.WS_BAD_KEY);
    }

    @Test
    void refusesMissingVersion() {
        assertRefused(upgrade(KEY), CloseReason.WS_MISSING_VERSION_HEADER);
    }

    @Test
    void refusesOtherVersion() {
        assertRefused(upgrade(KEY + "Sec-WebSocket-Version: 8\r\n"), CloseReason.WS_UNEXPECTED_VERSION);
    }

    @Test
    void refusesVersionList() {
        assertRefused(upgrade(KEY + "Sec-WebSocket-Version: 13, 8\r\n"), CloseReason.WS_UNEXPECTED_VERSION);
    }

    @Test
    void refusesTwoVersionFields() {
        assertRefused(upgrade(KEY + VERSION + VERSION), CloseReason.WS_UNEXPECTED_VERSION);
    }

    @Test
    void detectsZstdOfferInAnyProtocolField() {
        assertThat(h.feed(upgrade(KEY + VERSION + "Sec-WebSocket-Protocol: chat\r\n"
                + "Sec-WebSocket-Protocol: superchat ,compress-zstd\t\r\n"))).isEqualTo(Result.COMPLETE);
        assertThat(h.request.isWebSocketUpgrade()).isTrue();
        assertThat(h.request.offersZstdCompression()).isTrue();
    }

    @Test
    void matchesZstdOfferExactly() {
        assertZstd("Sec-WebSocket-Protocol: compress-zstd\r\n", true);
        assertZstd("Sec-WebSocket-Protocol: Compress-Zstd\r\n", false);
        assertZstd("Sec-WebSocket-Protocol: compress-zstd2\r\n", false);
        assertZstd("Sec-WebSocket-Protocol: chat\r\n", false);
        assertZstd("", false);
    }

    private static void assertZstd(String field, boolean expected) {
        ParserHarness slot = new ParserHarness();
        assertThat(slot.feed(upgrade(KEY + VERSION + field))).isEqualTo(Result.COMPLETE);
        assertThat(slot.request.offersZstdCompression()).as(field).isEqualTo(expected);
    }

    private void assertRefused(String text, CloseReason reason) {
        assertThat(h.feed(text)).isEqualTo(Result.ERROR);
        assertThat(h.parser.error()).isEqualTo(reason);
    }
}
