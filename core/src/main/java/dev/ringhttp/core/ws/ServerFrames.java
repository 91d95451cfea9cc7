package dev.ringhttp.core.ws;

import java.nio.ByteBuffer;

/**
 * Writes server-to-client frame headers and complete control frames. Server frames are
 * never masked (RFC 6455 §5.1: "A server MUST NOT mask any frames that it sends to the
 * client") and never fragmented here: FIN is always set. All writes use absolute indexes
 * and leave the buffer's position alone; lengths are written in network byte order
 * whatever the buffer's byte order.
 */
public final class ServerFrames {
    public static final int OPCODE_CONTINUATION = FrameFormat.OPCODE_CONTINUATION;
    public static final int OPCODE_TEXT = FrameFormat.OPCODE_TEXT;
    public static final int OPCODE_BINARY = FrameFormat.OPCODE_BINARY;
    public static final int OPCODE_CLOSE = FrameFormat.OPCODE_CLOSE;
    public static final int OPCODE_PING = FrameFormat.OPCODE_PING;
    public static final int OPCODE_PONG = FrameFormat.OPCODE_PONG;
    /**
     * Or'ed into a data frame's opcode for {@link #writeHeader}: the payload is a
     * permessage-deflate message, which RSV1 marks (RFC 7692 section 6).
     */
    public static final int COMPRESSED = FrameFormat.RSV1;

    /** The longest header a server frame needs: 2 bytes plus a 64-bit extended length. */
    public static final int MAX_HEADER_LENGTH = FrameFormat.BASE_HEADER_LENGTH + FrameFormat.LENGTH_64_BIT_BYTES;
    /** The length of a close frame carrying a status code and no reason. */
    public static final int CLOSE_FRAME_LENGTH = FrameFormat.BASE_HEADER_LENGTH + FrameFormat.CLOSE_CODE_LENGTH;
    /** The longest pong: a 2-byte header and 125 payload bytes. */
    public static final int MAX_PONG_LENGTH = FrameFormat.BASE_HEADER_LENGTH + FrameFormat.MAX_CONTROL_PAYLOAD_LENGTH;

    private ServerFrames() {
    }

    /**
     * The header length of an unmasked frame: 2 up to 125 payload bytes, 4 up to 65535
     * (16-bit extended length), else 10 (64-bit extended length). RFC 6455 §5.2: "the
     * minimal number of bytes MUST be used to encode the length".
     */
    public static int headerLength(int payloadLength) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length " + payloadLength);
        }
        if (payloadLength <= FrameFormat.MAX_SHORT_LENGTH) {
            return FrameFormat.BASE_HEADER_LENGTH;
        }
        if (payloadLength <= FrameFormat.MAX_16_BIT_LENGTH) {
            return FrameFormat.BASE_HEADER_LENGTH + FrameFormat.LENGTH_16_BIT_BYTES;
        }
        return FrameFormat.BASE_HEADER_LENGTH + FrameFormat.LENGTH_64_BIT_BYTES;
    }

    /**
     * Writes the header of a final, unmasked frame at absolute {@code index}; a data opcode
     * may carry {@link #COMPRESSED}.
     *
     * @return the header length, {@link #headerLength(int)}
     * @throws IllegalArgumentException for an opcode RFC 6455 does not define, a compressed
     *         control frame, or a control frame longer than 125 bytes
     */
    public static int writeHeader(ByteBuffer dst, int index, int opcode, int payloadLength) {
        int code = opcode & ~COMPRESSED;
        checkOpcode(code, payloadLength);
        if (opcode != code && code != OPCODE_TEXT && code != OPCODE_BINARY) {
            // RFC 7692 section 6: only a message's first frame carries RSV1, never a control frame
            throw new IllegalArgumentException("opcode " + code + " cannot be compressed");
        }
        int headerLength = headerLength(payloadLength);
        dst.put(index, (byte) (FrameFormat.FIN_BIT | opcode));
        if (headerLength == FrameFormat.BASE_HEADER_LENGTH) {
            dst.put(index + 1, (byte) payloadLength);
        } else if (headerLength == FrameFormat.BASE_HEADER_LENGTH + FrameFormat.LENGTH_16_BIT_BYTES) {
            dst.put(index + 1, (byte) FrameFormat.LENGTH_16_BIT);
            putBigEndian(dst, index + FrameFormat.BASE_HEADER_LENGTH, payloadLength, FrameFormat.LENGTH_16_BIT_BYTES);
        } else {
            // "the most significant bit MUST be 0": an int length always leaves it clear
            dst.put(index + 1, (byte) FrameFormat.LENGTH_64_BIT);
            putBigEndian(dst, index + FrameFormat.BASE_HEADER_LENGTH, payloadLength, FrameFormat.LENGTH_64_BIT_BYTES);
        }
        return headerLength;
    }

    /**
     * Writes a complete close frame with a 2-byte status code and no reason; for
     * {@link CloseFrames#NO_STATUS_CODE} an empty close frame instead, since 1005 "MUST
     * NOT be set as a status code in a Close control frame" (echoing a close frame that
     * had no code).
     *
     * @return the bytes written: {@link #CLOSE_FRAME_LENGTH}, or 2 for an empty close frame
     * @throws IllegalArgumentException for a code {@link CloseFrames#isValidCode(int)} rejects
     */
    public static int writeCloseFrame(ByteBuffer dst, int index, int code) {
        if (code == CloseFrames.NO_STATUS_CODE) {
            return writeHeader(dst, index, OPCODE_CLOSE, 0);
        }
        if (!CloseFrames.isValidCode(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        int headerLength = writeHeader(dst, index, OPCODE_CLOSE, FrameFormat.CLOSE_CODE_LENGTH);
        putBigEndian(dst, index + headerLength, code, FrameFormat.CLOSE_CODE_LENGTH);
        return headerLength + FrameFormat.CLOSE_CODE_LENGTH;
    }

    /**
     * Writes a complete pong carrying {@code len} bytes of {@code src} from absolute
     * {@code off}: RFC 6455 §5.5.3, "A Pong frame sent in response to a Ping frame must
     * have identical "Application data" as found in the message body of the Ping frame".
     *
     * @return the bytes written, 2 + len
     */
    /** Writes a complete ping frame with an empty payload at {@code index}; returns its length (2). */
    public static int writePing(ByteBuffer dst, int index) {
        dst.put(index, (byte) (FrameFormat.FIN_BIT | OPCODE_PING));
        dst.put(index + 1, (byte) 0);
        return 2;
    }

    public static int writePong(ByteBuffer dst, int index, ByteBuffer src, int off, int len) {
        int headerLength = writeHeader(dst, index, OPCODE_PONG, len);
        for (int i = 0; i < len; i++) {
            dst.put(index + headerLength + i, src.get(off + i));
        }
        return headerLength + len;
    }

    private static void checkOpcode(int opcode, int payloadLength) {
        switch (opcode) {
            case FrameFormat.OPCODE_CONTINUATION, FrameFormat.OPCODE_TEXT, FrameFormat.OPCODE_BINARY -> {
                // any length a payload can have
            }
            case FrameFormat.OPCODE_CLOSE, FrameFormat.OPCODE_PING, FrameFormat.OPCODE_PONG -> {
                if (payloadLength > FrameFormat.MAX_CONTROL_PAYLOAD_LENGTH) {
                    // "All control frames MUST have a payload length of 125 bytes or less"
                    throw new IllegalArgumentException(
                            "control frame payload of " + payloadLength + " bytes exceeds 125");
                }
            }
            default -> throw new IllegalArgumentException("opcode " + opcode + " is reserved");
        }
    }

    private static void putBigEndian(ByteBuffer dst, int index, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            dst.put(index + i, (byte) (value >>> (Byte.SIZE * (bytes - 1 - i))));
        }
    }
}
