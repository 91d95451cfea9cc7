package dev.ringhttp.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds client WebSocket frames byte for byte (RFC 6455 §5.2): any first byte (FIN, the three
 * RSV bits, any opcode, known or not), masked or not, with any mask key, the payload length
 * written in the 7-, 16- or 64-bit form, and an announced length that may differ from the
 * payload that follows (a frame cut short, or one that claims more than the server allows).
 */
public final class WsFrames {

    public static final int FIN = 0x80;
    public static final int RSV1 = 0x40;
    public static final int RSV2 = 0x20;
    public static final int RSV3 = 0x10;
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;
    /** The mask key of the frames built without one named. */
    public static final int DEFAULT_KEY = 0x37FA213D;

    /** How to write the payload length (§5.2: the minimal form is required, the others are for tests). */
    public enum LengthEncoding { MINIMAL, SIXTEEN, SIXTY_FOUR }

    private static final int MAX_7_BIT = 125;
    private static final int LENGTH_16_BIT = 126;
    private static final int LENGTH_64_BIT = 127;
    private static final int MASK_BIT = 0x80;

    private WsFrames() {
    }

    /** A frame masked with {@link #DEFAULT_KEY} whose first byte is {@code firstByte} (FIN, RSV, opcode). */
    public static byte[] frame(int firstByte, byte[] payload) {
        return frame(firstByte, payload, DEFAULT_KEY);
    }

    /** A masked frame carrying {@code text} in UTF-8. */
    public static byte[] frame(int firstByte, String text) {
        return frame(firstByte, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame masked with {@code key}. */
    public static byte[] frame(int firstByte, byte[] payload, int key) {
        return frame(firstByte, payload, key, true, LengthEncoding.MINIMAL);
    }

    /** A frame without a mask, which a server must refuse (§5.1). */
    public static byte[] unmasked(int firstByte, byte[] payload) {
        return frame(firstByte, payload, 0, false, LengthEncoding.MINIMAL);
    }

    public static byte[] frame(int firstByte, byte[] payload, int key, boolean masked, LengthEncoding encoding) {
        return raw(firstByte, payload.length, payload, key, masked, encoding);
    }

    /**
     * A frame whose header announces {@code announced} payload bytes, followed by {@code payload}
     * (which may be shorter, or empty: only the header is then complete). A negative
     * {@code announced} is written in the 64-bit form with its sign bit set, which §5.2 forbids.
     */
    public static byte[] raw(int firstByte, long announced, byte[] payload, int key, boolean masked,
            LengthEncoding encoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(firstByte);
        int maskBit = masked ? MASK_BIT : 0;
        if (announced >= 0 && announced <= MAX_7_BIT && encoding == LengthEncoding.MINIMAL) {
            out.write(maskBit | (int) announced);
        } else if (announced >= 0 && announced <= 0xFFFF && encoding != LengthEncoding.SIXTY_FOUR) {
            out.write(maskBit | LENGTH_16_BIT);
            out.write((int) (announced >>> 8));
            out.write((int) announced);
        } else {
            out.write(maskBit | LENGTH_64_BIT);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (announced >>> shift));
            }
        }
        byte[] keyBytes = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
        if (masked) {
            out.writeBytes(keyBytes);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ keyBytes[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    /** {@link #raw(int, long, byte[], int, boolean, LengthEncoding)} with the default key and minimal length. */
    public static byte[] raw(int firstByte, long announced, byte[] payload, boolean masked) {
        return raw(firstByte, announced, payload, DEFAULT_KEY, masked, LengthEncoding.MINIMAL);
    }

    /** A close frame's payload: the status code, then the reason (§5.5.1). */
    public static byte[] closePayload(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return payload;
    }

    public static byte[] closePayload(int code, String reason) {
        return closePayload(code, reason.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked close frame with {@code code} and no reason. */
    public static byte[] close(int code) {
        return frame(FIN | CLOSE, closePayload(code, new byte[0]));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
