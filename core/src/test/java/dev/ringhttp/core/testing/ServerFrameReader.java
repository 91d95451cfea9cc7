package dev.ringhttp.core.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads WebSocket frames a server sent from a stream. {@link #read} takes any unmasked frame, so
 * that a caller can judge fragmentation and reserved bits itself; {@link #readStrict} fails with an
 * {@link IOException} on anything RFC 6455 forbids a server to send: a mask (§5.1), reserved bits no
 * negotiated extension defines (§5.2), an unknown opcode, a fragmented control frame or one over
 * 125 bytes (§5.5), a length not in its minimal form (§5.2).
 */
public final class ServerFrameReader {

    /** The largest payload accepted unless the caller names another limit. */
    public static final long DEFAULT_MAX_LENGTH = 64L << 20;

    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int LENGTH_16_BIT = 126;
    private static final int LENGTH_64_BIT = 127;
    private static final int MASK_BIT = 0x80;

    private ServerFrameReader() {
    }

    /**
     * The next frame, checked only for a mask and for {@code maxLength}; null at an end of stream
     * before its first byte, an {@link EOFException} at one inside it.
     */
    public static ServerFrame read(InputStream in, long maxLength) throws IOException {
        return read(in, maxLength, false, 0);
    }

    public static ServerFrame read(InputStream in) throws IOException {
        return read(in, DEFAULT_MAX_LENGTH);
    }

    /**
     * The next frame, checked against every rule a server's frames follow; {@code allowedRsv} are the
     * reserved bits an extension negotiated in the handshake defines (RSV1 for permessage-deflate),
     * else 0. Null at an end of stream before the frame's first byte.
     */
    public static ServerFrame readStrict(InputStream in, int allowedRsv) throws IOException {
        return read(in, DEFAULT_MAX_LENGTH, true, allowedRsv);
    }

    private static ServerFrame read(InputStream in, long maxLength, boolean strict, int allowedRsv)
            throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte(in);
        ServerFrame header = new ServerFrame(b0, new byte[0]);
        if ((b1 & MASK_BIT) != 0) {
            throw new IOException("a server frame is masked (RFC 6455 §5.1): " + header);
        }
        long length = b1 & 0x7F;
        if (length == LENGTH_16_BIT) {
            length = (long) readByte(in) << 8 | readByte(in);
            if (strict && length <= MAX_CONTROL_PAYLOAD) {
                throw new IOException("16-bit length " + length + " is not minimal (§5.2)");
            }
        } else if (length == LENGTH_64_BIT) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | readByte(in);
            }
            if (strict && length >= 0 && length <= 0xFFFF) {
                throw new IOException("64-bit length " + length + " is not minimal (§5.2)");
            }
        }
        if (length < 0 || length > maxLength) {
            throw new IOException("a server frame announces " + Long.toUnsignedString(length) + " bytes, more than "
                    + maxLength);
        }
        if (strict) {
            checkHeader(header, length, allowedRsv);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("stream ended inside a frame payload after " + payload.length + " of " + length
                    + " bytes");
        }
        return new ServerFrame(b0, payload);
    }

    private static void checkHeader(ServerFrame header, long length, int allowedRsv) throws IOException {
        if ((header.rsv() & ~allowedRsv) != 0) {
            throw new IOException("reserved bits no extension defines (§5.2): " + header);
        }
        int opcode = header.opcode();
        boolean control = opcode >= WsFrames.CLOSE;
        boolean known = opcode <= WsFrames.BINARY || opcode <= WsFrames.PONG && control;
        if (!known) {
            throw new IOException("unknown opcode " + opcode + " (§5.2)");
        }
        if (control && (length > MAX_CONTROL_PAYLOAD || !header.fin())) {
            throw new IOException("bad control frame (§5.5): opcode " + opcode + ", length " + length + ", fin "
                    + header.fin());
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("stream ended inside a frame header");
        }
        return b;
    }
}
