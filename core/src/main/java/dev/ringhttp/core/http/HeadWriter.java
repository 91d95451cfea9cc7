package dev.ringhttp.core.http;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Appends the ASCII text of a response head to a fixed buffer with absolute
 * puts. Running out of room throws {@link BufferOverflowException}; the
 * caller turns that into a small error response.
 */
public final class HeadWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] COLON_SPACE = {':', ' '};
    private static final int MAX_LONG_DIGITS = 20;

    private ByteBuffer buffer;
    private int position;

    /** Starts writing at index 0 of {@code target}, whose limit it resets to the capacity. */
    public HeadWriter reset(ByteBuffer target) {
        target.clear();
        this.buffer = target;
        this.position = 0;
        return this;
    }

    public int position() {
        return position;
    }

    public HeadWriter bytes(byte[] src) {
        ensure(src.length);
        buffer.put(position, src, 0, src.length);
        position += src.length;
        return this;
    }

    /** Chars outside ASCII, CR and LF become '?' so a value can never split the head. */
    public HeadWriter ascii(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            buffer.put(position + i, c < 0x80 && c != '\r' && c != '\n' ? (byte) c : (byte) '?');
        }
        position += n;
        return this;
    }

    public HeadWriter decimal(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative length " + value);
        }
        ensure(MAX_LONG_DIGITS);
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        for (int i = position + digits - 1; i >= position; i--) {
            buffer.put(i, (byte) ('0' + value % 10));
            value /= 10;
        }
        position += digits;
        return this;
    }

    public HeadWriter date(HttpDate date) {
        ensure(HttpDate.LENGTH);
        date.writeTo(buffer, position);
        position += HttpDate.LENGTH;
        return this;
    }

    /** {@code name: value\r\n}. */
    public HeadWriter field(byte[] name, CharSequence value) {
        return bytes(name).bytes(COLON_SPACE).ascii(value).crlf();
    }

    public HeadWriter field(CharSequence name, CharSequence value) {
        return ascii(name).bytes(COLON_SPACE).ascii(value).crlf();
    }

    /** Leaves {@code n} bytes for the caller to fill in place; returns their index. */
    public int skip(int n) {
        ensure(n);
        int at = position;
        position += n;
        return at;
    }

    public HeadWriter crlf() {
        return bytes(CRLF);
    }

    private void ensure(int n) {
        if (n > buffer.capacity() - position) {
            throw new BufferOverflowException();
        }
    }
}
