package dev.ringhttp.core.ws;

/**
 * The base framing protocol's bit layout (RFC 6455 §5.2), shared by the decoder and
 * the encoder:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 */
final class FrameFormat {
    /** First byte: "Indicates that this is the final fragment in a message." */
    static final int FIN_BIT = 0x80;
    /** First byte: RSV1, RSV2 and RSV3. */
    static final int RESERVED_BITS = 0x70;
    /** First byte: RSV1, which permessage-deflate (RFC 7692) sets on a compressed message's first frame. */
    static final int RSV1 = 0x40;
    /** First byte: the opcode. */
    static final int OPCODE_BITS = 0x0F;
    /** Second byte: "Defines whether the "Payload data" is masked." */
    static final int MASK_BIT = 0x80;
    /** Second byte: the 7-bit payload length. */
    static final int LENGTH_BITS = 0x7F;
    /** Opcodes with this bit set are control frames: "%x8-F are further control-frames". */
    static final int CONTROL_OPCODE_BIT = 0x08;

    static final int OPCODE_CONTINUATION = 0x0;
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;
    static final int OPCODE_CLOSE = 0x8;
    static final int OPCODE_PING = 0x9;
    static final int OPCODE_PONG = 0xA;

    /** "If 0-125, that is the payload length." */
    static final int MAX_SHORT_LENGTH = 125;
    /** "If 126, the following 2 bytes interpreted as a 16-bit unsigned integer are the payload length." */
    static final int LENGTH_16_BIT = 126;
    /** "If 127, the following 8 bytes interpreted as a 64-bit unsigned integer ... are the payload length." */
    static final int LENGTH_64_BIT = 127;
    static final int LENGTH_16_BIT_BYTES = 2;
    static final int LENGTH_64_BIT_BYTES = 8;
    /** The largest length the 16-bit extended length can carry. */
    static final int MAX_16_BIT_LENGTH = 0xFFFF;
    /** The first two bytes: FIN, RSV, opcode, MASK and the 7-bit length. */
    static final int BASE_HEADER_LENGTH = 2;
    /** "The masking key is a 32-bit value." */
    static final int MASKING_KEY_LENGTH = 4;
    /** "All control frames MUST have a payload length of 125 bytes or less." */
    static final int MAX_CONTROL_PAYLOAD_LENGTH = 125;
    /** A close frame's status code: "a 2-byte unsigned integer (in network byte order)". */
    static final int CLOSE_CODE_LENGTH = 2;
    /** The largest masked control frame: base header, masking key and 125 payload bytes. */
    static final int MAX_CONTROL_FRAME_LENGTH =
            BASE_HEADER_LENGTH + MASKING_KEY_LENGTH + MAX_CONTROL_PAYLOAD_LENGTH;

    static final int BYTE_MASK = 0xFF;

    private FrameFormat() {
    }

    static boolean isControl(int opcode) {
        return (opcode & CONTROL_OPCODE_BIT) != 0;
    }
}
