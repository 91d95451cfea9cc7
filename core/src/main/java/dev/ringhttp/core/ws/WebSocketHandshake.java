package dev.ringhttp.core.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Computes {@code Sec-WebSocket-Accept} (RFC 6455 §4.2.2): the base64 of the
 * SHA-1 of the client's key followed by the protocol GUID. One instance
 * belongs to the event loop and reuses its digest and scratch arrays.
 */
public final class WebSocketHandshake {

    /** Characters of a valid {@code Sec-WebSocket-Key}: 16 bytes in base64. */
    public static final int KEY_LENGTH = 24;
    /** Characters of {@code Sec-WebSocket-Accept}: 20 bytes of SHA-1 in base64. */
    public static final int ACCEPT_LENGTH = 28;

    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
    private static final int SHA1_LENGTH = 20;

    private final MessageDigest sha1;
    private final byte[] input = new byte[KEY_LENGTH + GUID.length];
    private final byte[] digest = new byte[SHA1_LENGTH];
    private final byte[] accept = new byte[ACCEPT_LENGTH];
    private final Base64.Encoder base64 = Base64.getEncoder();

    public WebSocketHandshake() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
        System.arraycopy(GUID, 0, input, KEY_LENGTH, GUID.length);
    }

    /**
     * Writes the 28 accept characters for the key at {@code keyIndex} of
     * {@code src} into {@code dst} at {@code dstIndex}.
     */
    public void writeAccept(ByteBuffer src, int keyIndex, ByteBuffer dst, int dstIndex) {
        src.get(keyIndex, input, 0, KEY_LENGTH);
        sha1.update(input, 0, input.length);
        try {
            sha1.digest(digest, 0, SHA1_LENGTH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-1 digest of " + SHA1_LENGTH + " bytes", e);
        }
        base64.encode(digest, accept);
        dst.put(dstIndex, accept, 0, ACCEPT_LENGTH);
    }

    /** The accept value for {@code key}, allocating; for tests and clients. */
    public static String acceptFor(String key) {
        ByteBuffer src = ByteBuffer.wrap(key.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer dst = ByteBuffer.allocate(ACCEPT_LENGTH);
        new WebSocketHandshake().writeAccept(src, 0, dst, 0);
        return new String(dst.array(), StandardCharsets.US_ASCII);
    }
}
