package dev.ringhttp.core.ws;

import dev.ringhttp.core.CloseReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes client frames (RFC 6455 §5) in place in a connection's receive buffer, joining
 * fragments into messages and reporting messages and control frames to a {@link FrameSink}.
 * One instance per WebSocket connection, reused through {@link #reset()}; it allocates
 * nothing after construction.
 *
 * <h2>Buffer layout</h2>
 *
 * <pre>
 *  0                msgLen                                    filled      capacity
 *  +-----------------+------------------------------------------+------------+
 *  | message so far  | raw bytes not yet consumed               | free: the  |
 *  | (fragments,     | (headers, payloads, the current frame's  | server     |
 *  |  unmasked and   |  payload already unmasked at its front)  | reads here |
 *  |  validated)     |                                          |            |
 *  +-----------------+------------------------------------------+------------+
 * </pre>
 *
 * An unfragmented message (the common case) is unmasked where it lies and handed to the
 * sink without copying. The payload of a fragment is moved down to {@code msgLen} as it is
 * unmasked (one pass: read, unmask, write), so that the message's fragments end up
 * contiguous at the front. At the end of each call the bytes still needed (an incomplete
 * header, or the processed part of an incomplete frame's payload) are moved down to
 * {@code msgLen}, once; {@link #filled()} is then where the server reads next.
 *
 * <p>Payload bytes are unmasked and text validated as they arrive, before their frame is
 * complete, so invalid UTF-8 fails the connection at once, across frame and read boundaries.
 *
 * <h2>Limits</h2>
 *
 * <ul>
 *   <li>{@code maxMessageLength}: the bytes of one message, all fragments together. A frame
 *       whose header announces more (counting the fragments before it) fails with
 *       {@link CloseReason#WS_OVERSIZE_FRAME} before any of its payload is read. A 64-bit
 *       length with its most significant bit set ("MUST be 0") counts as oversize.</li>
 *   <li>Control frames carry at most 125 bytes ({@link CloseReason#WS_CONTROL_FRAME_TOO_LARGE}).</li>
 *   <li>The receive buffer must have {@link #receiveBufferSize(int)} bytes.</li>
 * </ul>
 *
 * Lengths need not use the minimal encoding; RFC 6455 puts that requirement on the sender
 * and a longer encoding is harmless here.
 */
public final class FrameDecoder {
    /** Where decoding stands; each state waits, returning, until its bytes are in the buffer. */
    private enum State {
        /** Expecting FIN, RSV, opcode, MASK and the 7-bit length. */
        FRAME_START,
        /** Expecting a 16-bit or 64-bit extended payload length. */
        EXTENDED_LENGTH,
        /** Expecting the 32-bit masking key. */
        MASKING_KEY,
        /** Expecting payload bytes; some may be processed already. */
        PAYLOAD,
        /** A close frame arrived or a protocol error happened. */
        CLOSED
    }

    /** {@link #messageOpcode} when no fragmented message is in progress. */
    private static final int NO_MESSAGE = -1;
    /** Mask phases repeat every 4 bytes: "j MOD 4". */
    private static final int MASK_PHASE_BITS = FrameFormat.MASKING_KEY_LENGTH - 1;

    private final int maxMessageLength;
    private final Utf8Validator messageUtf8 = new Utf8Validator();
    private final Utf8Validator closeReasonUtf8 = new Utf8Validator();

    private State state = State.FRAME_START;
    private CloseReason failure;
    /** The fill level after the last call. */
    private int filled;
    /** The next raw byte to consume. */
    private int cursor;
    /** The end of the raw bytes during a call. */
    private int end;
    /** Bytes of the fragmented message in progress, at [0, messageLength). */
    private int messageLength;
    /** The opcode of the fragmented message in progress, or {@link #NO_MESSAGE}. */
    private int messageOpcode = NO_MESSAGE;
    /** Data frames of the fragmented message in progress. */
    private int fragmentFrames;
    /** Data frames of the message last handed to {@link FrameSink#onMessage}. */
    private int deliveredFrames;

    private boolean fin;
    private int opcode;
    private int extendedLengthBytes;
    private int payloadLength;
    /** The masking key, its first byte in the high bits. */
    private int maskingKey;
    /** Whether the current frame's payload is text to validate as it arrives. */
    private boolean validateText;
    /** Whether RSV1 may mark a compressed message: permessage-deflate was negotiated. */
    private boolean compressedMessagesAllowed;
    /** Whether the frame being decoded has RSV1 set. */
    private boolean frameCompressed;
    /** Whether the message being decoded is compressed (its first frame had RSV1). */
    private boolean messageCompressed;
    /** Where the current frame's processed (unmasked) payload lies. */
    private int payloadStart;
    /** How many of the current frame's payload bytes are processed. */
    private int payloadDone;

    /**
     * @param maxMessageLength the largest message accepted, all fragments together, at least 1
     */
    public FrameDecoder(int maxMessageLength) {
        checkMaxMessageLength(maxMessageLength);
        this.maxMessageLength = maxMessageLength;
    }

    /**
     * The capacity the receive buffer needs so that decoding always makes progress:
     * {@code maxMessageLength + 131}. The worst case is a fragmented message of exactly
     * {@code maxMessageLength} bytes still waiting for its final, empty continuation frame,
     * followed by the largest frame that can come next: a control frame of 2 header bytes,
     * 4 masking-key bytes and 125 payload bytes (longer than any data frame header, at most
     * 14 bytes). With that room a whole control frame fits behind the longest message in
     * one read. (The decoder itself would make progress with 6 bytes less, since it
     * consumes header fields as they complete.)
     *
     * @throws IllegalArgumentException if maxMessageLength is below 1, or the size would not fit an int
     */
    public static int receiveBufferSize(int maxMessageLength) {
        checkMaxMessageLength(maxMessageLength);
        return maxMessageLength + FrameFormat.MAX_CONTROL_FRAME_LENGTH;
    }

    private static void checkMaxMessageLength(int maxMessageLength) {
        if (maxMessageLength < 1 || maxMessageLength > Integer.MAX_VALUE - FrameFormat.MAX_CONTROL_FRAME_LENGTH) {
            throw new IllegalArgumentException("max WebSocket message length must be in [1, "
                    + (Integer.MAX_VALUE - FrameFormat.MAX_CONTROL_FRAME_LENGTH) + "], was " + maxMessageLength);
        }
    }

    /**
     * Forgets everything: ready for a new connection, with an empty buffer. With
     * {@code compressedMessages}, RSV1 on a message's first data frame marks it compressed
     * (RFC 7692 section 6): the sink inflates it, and text is validated after inflating.
     */
    public void reset(boolean compressedMessages) {
        reset();
        compressedMessagesAllowed = compressedMessages;
    }

    /** Forgets everything: ready for a new connection, with an empty buffer, without compressed messages. */
    public void reset() {
        compressedMessagesAllowed = false;
        frameCompressed = false;
        messageCompressed = false;
        state = State.FRAME_START;
        failure = null;
        filled = 0;
        cursor = 0;
        end = 0;
        messageLength = 0;
        messageOpcode = NO_MESSAGE;
        fragmentFrames = 0;
        deliveredFrames = 0;
        messageUtf8.reset();
        closeReasonUtf8.reset();
    }

    /** The fill level after the last call: the server reads next into [filled(), capacity). */
    public int filled() {
        return filled;
    }

    /**
     * The data frames the message being handed to {@link FrameSink#onMessage} arrived in: 1, or
     * the number of fragments. Valid during that call.
     */
    public int messageFrames() {
        return deliveredFrames;
    }

    /** The decoder's position in one line, for diagnostics; allocates. */
    public String describe() {
        return state + " cursor=" + cursor + " filled=" + filled + " opcode=" + opcode + " payload=" + payloadDone + "/"
                + payloadLength + " message=" + messageLength + "/" + messageOpcode;
    }

    /** Whether the message being handed to {@link FrameSink#onMessage} is compressed. Valid during that call. */
    public boolean messageCompressed() {
        return messageCompressed;
    }

    /** Whether a close frame arrived or a protocol error happened; no more decoding then. */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** The protocol error that closed this decoder, or null. */
    public CloseReason failure() {
        return failure;
    }

    /**
     * Decodes the bytes at absolute indexes [0, filled) of {@code buffer}, which must be the
     * same buffer as in the previous calls, holding what {@link #filled()} left plus what the
     * server appended after it. The position is ignored and neither position nor limit
     * changes; the limit must be at least {@code filled}. After the call, {@link #filled()}
     * is the new fill level. Decoding may be resumed with another call after the sink
     * returned false.
     *
     * @return null when more input is needed, the sink asked to stop, or a close frame
     *         arrived; else the protocol error, to be answered with a close frame carrying
     *         {@link CloseReason#wsCloseCode()}
     * @throws IllegalStateException if {@link #isClosed()}
     */
    public CloseReason decode(ByteBuffer buffer, int filled, FrameSink sink) {
        if (state == State.CLOSED) {
            throw new IllegalStateException("the WebSocket decoder is closed");
        }
        if (filled < this.filled || filled > buffer.limit()) {
            throw new IllegalArgumentException("fill level " + filled + " outside [" + this.filled + ", "
                    + buffer.limit() + "]");
        }
        end = filled;
        for (;;) {
            switch (state) {
                case FRAME_START -> {
                    if (end - cursor < FrameFormat.BASE_HEADER_LENGTH) {
                        return suspend(buffer);
                    }
                    if (!startFrame(buffer.get(cursor) & FrameFormat.BYTE_MASK,
                            buffer.get(cursor + 1) & FrameFormat.BYTE_MASK)) {
                        return failure;
                    }
                    cursor += FrameFormat.BASE_HEADER_LENGTH;
                }
                case EXTENDED_LENGTH -> {
                    if (end - cursor < extendedLengthBytes) {
                        return suspend(buffer);
                    }
                    long length = readBigEndian(buffer, cursor, extendedLengthBytes);
                    cursor += extendedLengthBytes;
                    if (!setPayloadLength(length)) {
                        return failure;
                    }
                }
                case MASKING_KEY -> {
                    if (end - cursor < FrameFormat.MASKING_KEY_LENGTH) {
                        return suspend(buffer);
                    }
                    maskingKey = (int) readBigEndian(buffer, cursor, FrameFormat.MASKING_KEY_LENGTH);
                    cursor += FrameFormat.MASKING_KEY_LENGTH;
                    startPayload();
                }
                case PAYLOAD -> {
                    if (!processPayload(buffer)) {
                        return failure;
                    }
                    if (payloadDone < payloadLength) {
                        return suspend(buffer);
                    }
                    state = State.FRAME_START;
                    if (!endFrame(buffer, sink)) {
                        return state == State.CLOSED ? failure : suspend(buffer);
                    }
                }
                case CLOSED -> throw new IllegalStateException("decoding past a close");
            }
        }
    }

    /** Checks the first two header bytes; false after {@link #fail} if they break a rule. */
    private boolean startFrame(int b0, int b1) {
        int reserved = b0 & FrameFormat.RESERVED_BITS;
        fin = (b0 & FrameFormat.FIN_BIT) != 0;
        opcode = b0 & FrameFormat.OPCODE_BITS;
        frameCompressed = reserved == FrameFormat.RSV1;
        // "MUST be 0 unless an extension is negotiated that defines meanings for non-zero values";
        // permessage-deflate gives RSV1 a meaning on a message's first frame only (RFC 7692 section 6:
        // not on continuation or control frames).
        if (reserved != 0 && (!frameCompressed || !compressedMessagesAllowed
                || opcode == FrameFormat.OPCODE_CONTINUATION || FrameFormat.isControl(opcode))) {
            return fail(CloseReason.WS_RESERVED_BITS);
        }
        int length = b1 & FrameFormat.LENGTH_BITS;
        switch (opcode) {
            case FrameFormat.OPCODE_CONTINUATION -> {
                if (messageOpcode == NO_MESSAGE) {
                    // §5.4: a continuation frame only follows a non-final data frame
                    return fail(CloseReason.WS_EXPECTED_TEXT_OPCODE);
                }
            }
            case FrameFormat.OPCODE_TEXT, FrameFormat.OPCODE_BINARY -> {
                if (messageOpcode != NO_MESSAGE) {
                    // §5.4: "fragments of one message MUST NOT be interleaved between fragments of another"
                    return fail(CloseReason.WS_EXPECTED_CONT_OPCODE);
                }
            }
            case FrameFormat.OPCODE_CLOSE, FrameFormat.OPCODE_PING, FrameFormat.OPCODE_PONG -> {
                if (!fin) {
                    // §5.5: "Control frames themselves MUST NOT be fragmented."
                    return fail(CloseReason.WS_FRAGMENTED_CONTROL_FRAME);
                }
                if (length > FrameFormat.MAX_CONTROL_PAYLOAD_LENGTH) {
                    // §5.5: "All control frames MUST have a payload length of 125 bytes or less"
                    return fail(CloseReason.WS_CONTROL_FRAME_TOO_LARGE);
                }
            }
            // "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket Connection_."
            default -> {
                return fail(CloseReason.WS_UNKNOWN_OPCODE);
            }
        }
        if ((b1 & FrameFormat.MASK_BIT) == 0) {
            // §5.1: "The server MUST close the connection upon receiving a frame that is not masked."
            return fail(CloseReason.WS_BAD_MASK);
        }
        if (length == FrameFormat.LENGTH_16_BIT) {
            extendedLengthBytes = FrameFormat.LENGTH_16_BIT_BYTES;
            state = State.EXTENDED_LENGTH;
            return true;
        }
        if (length == FrameFormat.LENGTH_64_BIT) {
            extendedLengthBytes = FrameFormat.LENGTH_64_BIT_BYTES;
            state = State.EXTENDED_LENGTH;
            return true;
        }
        return setPayloadLength(length);
    }

    /** Takes the frame's payload length, failing if its message would grow too large. */
    private boolean setPayloadLength(long length) {
        if (!FrameFormat.isControl(opcode)) {
            // a negative length is a 64-bit length with its most significant bit set ("MUST
            // be 0"); it exceeds any maximum, so it is reported as oversize
            int room = maxMessageLength - (opcode == FrameFormat.OPCODE_CONTINUATION ? messageLength : 0);
            if (length < 0 || length > room) {
                return fail(CloseReason.WS_OVERSIZE_FRAME);
            }
        }
        payloadLength = (int) length; // at most maxMessageLength, or 125 for a control frame
        state = State.MASKING_KEY;
        return true;
    }

    /** Prepares to take the payload: in place, or joined to the message in progress. */
    private void startPayload() {
        boolean fragment = opcode == FrameFormat.OPCODE_CONTINUATION
                || !fin && !FrameFormat.isControl(opcode);
        if (opcode == FrameFormat.OPCODE_TEXT) {
            messageUtf8.reset();
        }
        if (opcode == FrameFormat.OPCODE_TEXT || opcode == FrameFormat.OPCODE_BINARY) {
            messageCompressed = frameCompressed;
        }
        if (fragment && opcode != FrameFormat.OPCODE_CONTINUATION) {
            messageOpcode = opcode;
        }
        // A compressed message's bytes are not its text: the sink validates what they inflate to.
        validateText = !messageCompressed && (opcode == FrameFormat.OPCODE_TEXT
                || opcode == FrameFormat.OPCODE_CONTINUATION && messageOpcode == FrameFormat.OPCODE_TEXT);
        payloadStart = fragment ? messageLength : cursor;
        payloadDone = 0;
        state = State.PAYLOAD;
    }

    /**
     * Unmasks (and validates, for text) the payload bytes that arrived, writing them after
     * those already processed. False after {@link #fail} if the text is not valid UTF-8.
     */
    private boolean processPayload(ByteBuffer buffer) {
        int count = Math.min(end - cursor, payloadLength - payloadDone);
        if (count == 0) {
            return true;
        }
        int to = payloadStart + payloadDone;
        unmask(buffer, cursor, to, count);
        cursor += count;
        payloadDone += count;
        if (validateText && !messageUtf8.accept(buffer, to, to + count)) {
            // §8.1: "When an endpoint is to interpret a byte stream as UTF-8 but finds that
            // the byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST
            // _Fail the WebSocket Connection_."
            return fail(CloseReason.WS_INVALID_UTF8);
        }
        return true;
    }

    /**
     * Acts on a complete frame. False when decoding must stop: the sink said so, a close
     * frame arrived, or (after {@link #fail}) the message ended inside a UTF-8 sequence.
     */
    private boolean endFrame(ByteBuffer buffer, FrameSink sink) {
        switch (opcode) {
            case FrameFormat.OPCODE_PING -> {
                return sink.onPing(buffer, payloadStart, payloadLength);
            }
            case FrameFormat.OPCODE_PONG -> {
                return sink.onPong(buffer, payloadStart, payloadLength);
            }
            case FrameFormat.OPCODE_CLOSE -> {
                return endCloseFrame(buffer, sink);
            }
            default -> {
                return endDataFrame(buffer, sink);
            }
        }
    }

    private boolean endDataFrame(ByteBuffer buffer, FrameSink sink) {
        boolean fragment = opcode == FrameFormat.OPCODE_CONTINUATION || !fin;
        if (fragment) {
            messageLength += payloadLength;
            fragmentFrames++;
        }
        if (!fin) {
            return true;
        }
        if (validateText && !messageUtf8.isComplete()) {
            // a message ending inside a sequence is not valid UTF-8 (RFC 3629 §4)
            return fail(CloseReason.WS_INVALID_UTF8);
        }
        if (!fragment) {
            deliveredFrames = 1;
            return sink.onMessage(buffer, payloadStart, payloadLength, opcode == FrameFormat.OPCODE_TEXT);
        }
        deliveredFrames = fragmentFrames;
        fragmentFrames = 0;
        int length = messageLength;
        boolean text = messageOpcode == FrameFormat.OPCODE_TEXT;
        messageLength = 0;
        messageOpcode = NO_MESSAGE;
        // the region stays intact during the call: only suspend() moves bytes, afterwards
        return sink.onMessage(buffer, 0, length, text);
    }

    private boolean endCloseFrame(ByteBuffer buffer, FrameSink sink) {
        if (payloadLength == 0) {
            closed();
            sink.onClose(CloseFrames.NO_STATUS_CODE, buffer, payloadStart, 0);
            return false;
        }
        if (payloadLength < FrameFormat.CLOSE_CODE_LENGTH) {
            // §5.5.1: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned integer"
            return fail(CloseReason.WS_BAD_CLOSE_FRAME);
        }
        int code = (int) readBigEndian(buffer, payloadStart, FrameFormat.CLOSE_CODE_LENGTH);
        if (!CloseFrames.isValidCode(code)) {
            // §7.4.1: codes an endpoint may not send, and ranges nothing is assigned in
            return fail(CloseReason.WS_BAD_CLOSE_FRAME);
        }
        int reasonStart = payloadStart + FrameFormat.CLOSE_CODE_LENGTH;
        int reasonLength = payloadLength - FrameFormat.CLOSE_CODE_LENGTH;
        closeReasonUtf8.reset();
        if (!closeReasonUtf8.accept(buffer, reasonStart, reasonStart + reasonLength)
                || !closeReasonUtf8.isComplete()) {
            // §5.5.1: the reason's "data is not guaranteed to be human readable" but is "UTF-8-encoded"
            return fail(CloseReason.WS_INVALID_UTF8);
        }
        closed();
        sink.onClose(code, buffer, reasonStart, reasonLength);
        return false;
    }

    /**
     * Writes {@code count} payload bytes from {@code from} to {@code to} (at or below it)
     * unmasked: §5.3, "octet i of the transformed data ("transformed-octet-i") is the XOR of
     * octet i of the original data ("original-octet-i") with octet at index i modulo 4 of the
     * masking key". Eight bytes at a time, with the key rotated to the phase of the first byte.
     * Copying forwards is safe while {@code to <= from}: each word is read before it is written.
     */
    private void unmask(ByteBuffer buffer, int from, int to, int count) {
        int key = Integer.rotateLeft(maskingKey, (payloadDone & MASK_PHASE_BITS) * Byte.SIZE);
        long mask = (long) key << Integer.SIZE | Integer.toUnsignedLong(key);
        if (buffer.order() == ByteOrder.LITTLE_ENDIAN) {
            mask = Long.reverseBytes(mask);
        }
        int i = 0;
        for (; count - i >= Long.BYTES; i += Long.BYTES) {
            buffer.putLong(to + i, buffer.getLong(from + i) ^ mask);
        }
        for (; i < count; i++) {
            int keyByte = key >>> (Integer.SIZE - Byte.SIZE - (i & MASK_PHASE_BITS) * Byte.SIZE);
            buffer.put(to + i, (byte) (buffer.get(from + i) ^ keyByte));
        }
    }

    /**
     * Ends the call: keeps the bytes still needed at the front, right after the message in
     * progress, and records the new fill level.
     */
    private CloseReason suspend(ByteBuffer buffer) {
        if (state == State.PAYLOAD) {
            // the frame is incomplete, so every raw byte was its payload and is processed
            move(buffer, payloadStart, messageLength, payloadDone);
            payloadStart = messageLength;
            cursor = messageLength + payloadDone;
            filled = cursor;
        } else {
            int raw = end - cursor;
            move(buffer, cursor, messageLength, raw);
            cursor = messageLength;
            filled = messageLength + raw;
        }
        return null;
    }

    /** Moves {@code count} bytes from {@code from} down to {@code to}. */
    private static void move(ByteBuffer buffer, int from, int to, int count) {
        if (from == to || count == 0) {
            return;
        }
        int i = 0;
        for (; count - i >= Long.BYTES; i += Long.BYTES) {
            buffer.putLong(to + i, buffer.getLong(from + i));
        }
        for (; i < count; i++) {
            buffer.put(to + i, buffer.get(from + i));
        }
    }

    /** Reads an unsigned big-endian ("network byte order", §5.2) number of up to 8 bytes. */
    private static long readBigEndian(ByteBuffer buffer, int index, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = value << Byte.SIZE | buffer.get(index + i) & FrameFormat.BYTE_MASK;
        }
        return value;
    }

    private void closed() {
        state = State.CLOSED;
        filled = 0;
    }

    /** Every protocol error ends here: records the reason and closes the decoder. */
    private boolean fail(CloseReason reason) {
        failure = reason;
        closed();
        return false;
    }
}
