package dev.ringhttp.core.ws.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Masked client frames for the raw-socket tests (the essentials of dev.ringhttp.core.ws.TestFrames). */
final class WsFrames {
    static final int FIN = 0x80;
    static final int RSV1 = 0x40;
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    static final int KEY = 0x37FA213D;

    private WsFrames() {
    }

    static byte[] frame(int firstByte, byte[] payload) {
        return raw(firstByte, payload.length, payload, true);
    }

    static byte[] frame(int firstByte, String text) {
        return frame(firstByte, text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] unmasked(int firstByte, byte[] payload) {
        return raw(firstByte, payload.length, payload, false);
    }

    /** A frame announcing {@code announced} payload bytes, followed by {@code payload} (may be shorter). */
    static byte[] raw(int firstByte, long announced, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (announced <= 125) {
            out.write(maskBit | (int) announced);
        } else if (announced <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write((int) (announced >>> 8));
            out.write((int) announced);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (announced >>> shift));
            }
        }
        byte[] key = {(byte) (KEY >>> 24), (byte) (KEY >>> 16), (byte) (KEY >>> 8), (byte) KEY};
        if (masked) {
            out.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    static byte[] closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
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
