package dev.ringhttp.core.ws;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates one {@code permessage-deflate} message (RFC 7692) at a time into a buffer of its own,
 * for the whole event loop: the server negotiates {@code client_no_context_takeover}, so no
 * message depends on an earlier one and one inflater, reset per message, serves every connection.
 *
 * <p>A message is a raw DEFLATE stream cut after a sync flush, without its final four bytes
 * {@code 00 00 FF FF} (section 7.2.2); they are fed after it. The inflated size is bounded by the
 * output buffer: {@code maxMessageLength} bytes plus one, so that a message that would inflate past
 * the limit (a zip bomb) is recognised after one byte too many, never after it has all been
 * inflated. Loop thread only.
 */
public final class MessageInflater {

    /** What {@link #inflate} returns for a message that inflates to more than the limit. */
    public static final int TOO_LARGE = -1;
    /** What {@link #inflate} returns for bytes that are not a valid DEFLATE stream. */
    public static final int BAD_DATA = -2;
    /** What {@link #inflate} returns for a text message that is not UTF-8 once inflated. */
    public static final int BAD_TEXT = -3;
    /** Bytes of the buffers it needs from the server: the output and the four-byte tail. */
    public static int bufferBytes(int maxMessageLength) {
        return maxMessageLength + 1 + TAIL.length;
    }

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final int maxMessageLength;
    private final ByteBuffer output;
    private final ByteBuffer view;
    private final ByteBuffer tail;
    private final Utf8Validator utf8 = new Utf8Validator();
    private Inflater inflater = new Inflater(true);

    /**
     * @param buffers {@link #bufferBytes} direct bytes, zero-filled, that this inflater owns
     */
    public MessageInflater(int maxMessageLength, ByteBuffer buffers) {
        this.maxMessageLength = maxMessageLength;
        this.output = buffers.slice(0, maxMessageLength + 1);
        this.view = output.asReadOnlyBuffer();
        this.tail = buffers.slice(maxMessageLength + 1, TAIL.length).put(0, TAIL);
    }

    /**
     * Inflates {@code compressed} (its position to its limit, which it consumes) and returns the
     * inflated length, readable from {@link #inflated}, or {@link #TOO_LARGE}, {@link #BAD_DATA},
     * or, for {@code text} that is not valid UTF-8 once inflated, {@link #BAD_TEXT}.
     */
    public int inflate(ByteBuffer compressed, boolean text) {
        int length = inflate(compressed);
        if (length >= 0 && text) {
            utf8.reset();
            if (!utf8.accept(output, 0, length) || !utf8.isComplete()) {
                return BAD_TEXT;
            }
        }
        return length;
    }

    private int inflate(ByteBuffer compressed) {
        Inflater z = inflater;
        z.reset();
        output.clear();
        tail.clear();
        z.setInput(compressed);
        boolean tailFed = false;
        boolean stalled = false;
        try {
            while (!z.finished()) {
                if (z.needsInput()) {
                    if (tailFed) {
                        break;
                    }
                    z.setInput(tail);
                    tailFed = true;
                    continue;
                }
                if (!output.hasRemaining()) {
                    return TOO_LARGE;
                }
                int n = z.inflate(output);
                if (n == 0) {
                    // Input left, room left, nothing made twice in a row: a stream that needs a
                    // dictionary or is otherwise stuck; never spin on it.
                    if (stalled || z.needsDictionary()) {
                        return BAD_DATA;
                    }
                    stalled = true;
                } else {
                    stalled = false;
                }
            }
        } catch (DataFormatException e) {
            return BAD_DATA;
        }
        int length = output.position();
        return length > maxMessageLength ? TOO_LARGE : length;
    }

    /** A read-only view of the last message inflated, {@code [0, length)}; valid until the next call. */
    public ByteBuffer inflated(int length) {
        return view.limit(length).position(0);
    }

    /** Frees the native inflater; {@link #reopen} makes a new one. */
    public void close() {
        inflater.end();
    }

    /** A new native inflater after {@link #close}, for a restarted server. */
    public void reopen() {
        inflater.end();
        inflater = new Inflater(true);
    }
}
