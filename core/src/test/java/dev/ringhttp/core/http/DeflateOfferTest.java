package dev.ringhttp.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which Sec-WebSocket-Extensions values offer permessage-deflate in a form the server accepts. */
class DeflateOfferTest {

    private static boolean acceptable(String value) {
        // Behind a prefix, as in a real request buffer: offsets must be honoured.
        byte[] bytes = ("Sec-WebSocket-Extensions: " + value).getBytes(StandardCharsets.ISO_8859_1);
        int start = bytes.length - value.length();
        return DeflateOffer.acceptable(ByteBuffer.wrap(bytes), start, value.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "permessage-deflate",
        "permessage-deflate; client_max_window_bits",
        "Permessage-Deflate ;client_max_window_bits=12",
        "permessage-deflate; client_max_window_bits=\"15\"",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; server_max_window_bits=15",
        "x-webkit-deflate-frame, permessage-deflate",
        "permessage-deflate; server_max_window_bits=9, permessage-deflate; client_max_window_bits",
        "  permessage-deflate  ;  client_no_context_takeover  ",
    })
    void accepts(String value) {
        assertThat(acceptable(value)).as(value).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "deflate-frame",
        "permessage-deflatex",
        "permessage-deflate; server_max_window_bits=10",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; client_max_window_bits=7",
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate; client_max_window_bits=abc",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; unknown_parameter",
        "permessage-deflate;",
        "permessage-deflate; ; client_max_window_bits",
    })
    void declines(String value) {
        assertThat(acceptable(value)).as(value).isFalse();
    }
}
