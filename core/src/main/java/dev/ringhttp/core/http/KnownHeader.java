package dev.ringhttp.core.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The header fields whose meaning the parser checks, recognised once per field while the field
 * line is parsed so that {@link HeadSemantics} never compares names again. Field names are
 * case-insensitive (RFC 9110 section 5.1).
 */
enum KnownHeader {
    OTHER(""),
    CONTENT_LENGTH("content-length"),
    TRANSFER_ENCODING("transfer-encoding"),
    HOST("host"),
    CONNECTION("connection"),
    UPGRADE("upgrade"),
    SEC_WEBSOCKET_KEY("sec-websocket-key"),
    SEC_WEBSOCKET_VERSION("sec-websocket-version"),
    SEC_WEBSOCKET_PROTOCOL("sec-websocket-protocol"),
    SEC_WEBSOCKET_EXTENSIONS("sec-websocket-extensions"),
    EXPECT("expect");

    private static final KnownHeader[] VALUES = values();

    /** The name in lower case, compared ignoring ASCII case. */
    private final byte[] lowerCaseName;

    KnownHeader(String lowerCaseName) {
        this.lowerCaseName = lowerCaseName.getBytes(StandardCharsets.US_ASCII);
    }

    /** The field named by bytes {@code [start, start + length)}, or {@link #OTHER}. */
    static KnownHeader of(ByteBuffer buffer, int start, int length) {
        for (int i = 1; i < VALUES.length; i++) {
            KnownHeader candidate = VALUES[i];
            if (HttpChars.regionEqualsLowerCase(buffer, start, length, candidate.lowerCaseName)) {
                return candidate;
            }
        }
        return OTHER;
    }
}
