package dev.ringhttp.core.ws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds client frames for tests: masked unless asked otherwise. */
final class TestFrames {
    static final int FIN = 0x80;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    static final int DEFAULT_KEY = 0x37FA213D;

    /** How to write the payload length. */
    enum LengthEncoding { MINIMAL, SIXTEEN, SIXTY_FOUR }

    private TestFrames() {
    }

    /** A masked frame whose first byte is {@code firstByte} (FIN, RSV, opcode). */
    static byte[] frame(int firstByte, byte[] payload) {
        return frame(firstByte, payload, DEFAULT_KEY);
    }

    static byte[] frame(int firstByte, String text) {
        return frame(firstByte, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked frame whose first byte is {@code firstByte} (FIN, RSV, opcode). */
    static byte[] frame(int firstByte, byte[] payload, int key) {
        return frame(firstByte, payload, key, true, LengthEncoding.MINIMAL);
    }

    static byte[] frame(int firstByte, byte[] payload, int key, boolean masked, LengthEncoding encoding) {
        return raw(firstByte, payload.length, payload, key, masked, encoding);
    }

    /** A frame announcing {@code announced} bytes, with {@code payload} after the header (may be shorter). */
    static byte[] raw(int firstByte, long announced, byte[] payload, int key, boolean masked,
            LengthEncoding encoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (encoding == LengthEncoding.MINIMAL && announced <= 125) {
            out.write(maskBit | (int) announced);
        } else if (encoding != LengthEncoding.SIXTY_FOUR && announced <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write((int) (announced >>> 8));
            out.write((int) announced);
        } else {
            out.write(maskBit | 127);
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

    static byte[] closePayload(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return payload;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
