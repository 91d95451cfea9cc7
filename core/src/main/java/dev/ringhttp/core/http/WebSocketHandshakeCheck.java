package dev.ringhttp.core.http;

import dev.ringhttp.core.CloseReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The opening handshake fields of an RFC 6455 upgrade request (section 4.2.1).
 *
 * <p>A request asks to upgrade when it is a GET, an {@code Upgrade} field lists
 * {@code websocket} and a {@code Connection} field lists {@code upgrade} ({@link HeadSemantics}
 * decides that). A request that does not ask is an ordinary request, even with
 * {@code Upgrade: websocket}. One that asks is checked, in this order:
 * <ol>
 *   <li>no {@code Sec-WebSocket-Key}: {@code WS_MISSING_KEY_HEADER};
 *   <li>more than one {@code Sec-WebSocket-Key}, or a key that is not 22 characters of the
 *       base64 alphabet (RFC 4648 section 4) followed by {@code ==}, the only shape of 16
 *       bytes in base64: {@code WS_BAD_KEY};
 *   <li>no {@code Sec-WebSocket-Version}: {@code WS_MISSING_VERSION_HEADER};
 *   <li>more than one {@code Sec-WebSocket-Version} (RFC 6455 section 11.3.5 allows one in a
 *       request), or a value other than {@code 13}: {@code WS_UNEXPECTED_VERSION}, whose 426
 *       answer tells the client the version the server speaks.
 * </ol>
 * The key's last character before {@code ==} carries 4 padding bits, which a canonical encoder
 * sets to zero. They are not required to be zero: the server hashes the key's characters as
 * sent and never decodes them, so those bits cannot change the handshake, and common decoders
 * accept them too.
 *
 * <p>Whether or not the request asks to upgrade, {@code offersZstdCompression} is whether a
 * {@code Sec-WebSocket-Protocol} field lists {@code compress-zstd}. Subprotocol names are
 * matched exactly, not ignoring case: the server echoes the name it knows, and a browser fails
 * the handshake unless the echo equals what it offered. Likewise {@code offersPerMessageDeflate}
 * is whether a {@code Sec-WebSocket-Extensions} field offers {@code permessage-deflate} in a
 * form the server accepts ({@link DeflateOffer}).
 */
final class WebSocketHandshakeCheck {

    /** Characters of a base64 key encoding 16 bytes: 22 data characters, then two {@code '='}. */
    private static final int KEY_LENGTH = 24;
    private static final int KEY_DATA_LENGTH = 22;
    private static final byte PAD = '=';
    private static final byte[] VERSION_13 = "13".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPRESS_ZSTD = "compress-zstd".getBytes(StandardCharsets.US_ASCII);

    private WebSocketHandshakeCheck() {
    }

    /**
     * Records in {@code request} whether it is a valid upgrade and whether it offers zstd.
     *
     * @param asksToUpgrade whether the method, {@code Upgrade} and {@code Connection} ask for it
     * @return {@code null} if the request is not refused, else why it is
     */
    static CloseReason apply(ParsedRequest request, boolean asksToUpgrade) {
        ByteBuffer buffer = request.buffer();
        int keyField = -1;
        int keyCount = 0;
        int versionField = -1;
        int versionCount = 0;
        boolean offersZstd = false;
        boolean offersDeflate = false;
        for (int i = 0; i < request.headerCount(); i++) {
            switch (request.kind(i)) {
                case SEC_WEBSOCKET_KEY -> {
                    if (keyCount++ == 0) {
                        keyField = i;
                    }
                }
                case SEC_WEBSOCKET_VERSION -> {
                    if (versionCount++ == 0) {
                        versionField = i;
                    }
                }
                case SEC_WEBSOCKET_PROTOCOL -> offersZstd |= HttpChars.listContains(
                        buffer, request.valueStart(i), request.valueLength(i), COMPRESS_ZSTD, false);
                case SEC_WEBSOCKET_EXTENSIONS -> offersDeflate |= DeflateOffer.acceptable(
                        buffer, request.valueStart(i), request.valueLength(i));
                default -> {
                    // Not a handshake field.
                }
            }
        }
        request.setWebSocket(false, -1, offersZstd, offersDeflate);
        if (!asksToUpgrade) {
            return null;
        }
        if (keyCount == 0) {
            return CloseReason.WS_MISSING_KEY_HEADER;
        }
        int keyStart = request.valueStart(keyField);
        if (keyCount > 1 || !isBase64Of16Bytes(buffer, keyStart, request.valueLength(keyField))) {
            return CloseReason.WS_BAD_KEY;
        }
        if (versionCount == 0) {
            return CloseReason.WS_MISSING_VERSION_HEADER;
        }
        if (versionCount > 1 || !HttpChars.regionEquals(buffer,
                request.valueStart(versionField), request.valueLength(versionField), VERSION_13)) {
            return CloseReason.WS_UNEXPECTED_VERSION;
        }
        request.setWebSocket(true, keyStart, offersZstd, offersDeflate);
        return null;
    }

    private static boolean isBase64Of16Bytes(ByteBuffer buffer, int start, int length) {
        if (length != KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < KEY_DATA_LENGTH; i++) {
            if (!isBase64Char(buffer.get(start + i))) {
                return false;
            }
        }
        return buffer.get(start + KEY_DATA_LENGTH) == PAD && buffer.get(start + KEY_DATA_LENGTH + 1) == PAD;
    }

    /** RFC 4648 section 4: {@code A-Z a-z 0-9 + /}. */
    private static boolean isBase64Char(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+' || b == '/';
    }
}
