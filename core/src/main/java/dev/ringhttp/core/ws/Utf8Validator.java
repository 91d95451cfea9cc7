package dev.ringhttp.core.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Incremental, allocation-free UTF-8 validator (RFC 3629). Bytes are fed in any number of
 * calls; a sequence split between calls (fragments, socket reads) validates as if it
 * had arrived whole. Validation fails at the first byte that no valid continuation of
 * the input so far could contain, not at the end; once failed it stays failed until
 * {@link #reset()}.
 *
 * <p>It enforces the syntax of RFC 3629 §4:
 *
 * <pre>
 * UTF8-1      = %x00-7F
 * UTF8-2      = %xC2-DF UTF8-tail
 * UTF8-3      = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
 *               %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
 * UTF8-4      = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
 *               %xF4 %x80-8F 2( UTF8-tail )
 * UTF8-tail   = %x80-BF
 * </pre>
 *
 * which rejects overlong forms, surrogates (U+D800–U+DFFF), code points above U+10FFFF,
 * stray continuation bytes and the leads C0, C1 and F5–FF.
 *
 * <p>The state is the number of continuation bytes still expected and the range the
 * next one must fall in: always 80–BF, except right after the leads E0, ED, F0 and F4,
 * whose second byte has the narrower ranges above.
 */
public final class Utf8Validator {
    /** Bytes below this are UTF8-1, a whole character each. */
    private static final int MIN_NON_ASCII = 0x80;
    /** The high bit of each of 8 bytes; a long with none of them set is 8 ASCII bytes. */
    private static final long NON_ASCII_BITS = 0x8080_8080_8080_8080L;
    private static final VarHandle LONG_IN_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** UTF8-tail = %x80-BF. */
    private static final int TAIL_MIN = 0x80;
    private static final int TAIL_MAX = 0xBF;
    /** UTF8-2 leads start at C2: C0 and C1 could only encode overlong forms of ASCII. */
    private static final int TWO_BYTE_LEAD_MIN = 0xC2;
    private static final int THREE_BYTE_LEAD_MIN = 0xE0;
    private static final int FOUR_BYTE_LEAD_MIN = 0xF0;
    /** UTF8-4 leads end at F4: F5 and above would start code points beyond U+10FFFF. */
    private static final int FOUR_BYTE_LEAD_MAX = 0xF4;

    /** "%xE0 %xA0-BF": E0 80..9F would be an overlong three-byte form. */
    private static final int LEAD_E0 = 0xE0;
    private static final int AFTER_E0_MIN = 0xA0;
    /** "%xED %x80-9F": ED A0..BF would encode a surrogate, U+D800 to U+DFFF. */
    private static final int LEAD_ED = 0xED;
    private static final int AFTER_ED_MAX = 0x9F;
    /** "%xF0 %x90-BF": F0 80..8F would be an overlong four-byte form. */
    private static final int LEAD_F0 = 0xF0;
    private static final int AFTER_F0_MIN = 0x90;
    /** "%xF4 %x80-8F": F4 90..BF would encode code points above U+10FFFF. */
    private static final int LEAD_F4 = 0xF4;
    private static final int AFTER_F4_MAX = 0x8F;

    private static final int TWO_BYTE_TAILS = 1;
    private static final int THREE_BYTE_TAILS = 2;
    private static final int FOUR_BYTE_TAILS = 3;
    /** {@link #expected} once an invalid byte was seen. */
    private static final int FAILED = -1;

    /** Continuation bytes still expected, 0 between characters, or {@link #FAILED}. */
    private int expected;
    /** The range the next continuation byte must fall in. */
    private int nextMin = TAIL_MIN;
    private int nextMax = TAIL_MAX;

    /** Forgets all input: ready for a new string. */
    public void reset() {
        expected = 0;
        nextMin = TAIL_MIN;
        nextMax = TAIL_MAX;
    }

    /**
     * Validates the bytes at absolute indexes [from, to) of {@code buf}, after all bytes
     * accepted before. Ignores and keeps the buffer's position.
     *
     * @return false as soon as the bytes so far are not a prefix of valid UTF-8
     */
    public boolean accept(ByteBuffer buf, int from, int to) {
        int i = from;
        while (i < to) {
            if (expected == 0) {
                while (to - i >= Long.BYTES && (buf.getLong(i) & NON_ASCII_BITS) == 0) {
                    i += Long.BYTES;
                }
                if (i == to) {
                    break;
                }
            }
            if (!step(buf.get(i) & FrameFormat.BYTE_MASK)) {
                return false;
            }
            i++;
        }
        return expected != FAILED;
    }

    /** As {@link #accept(ByteBuffer, int, int)}, for an array. */
    public boolean accept(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            if (expected == 0) {
                while (to - i >= Long.BYTES && ((long) LONG_IN_ARRAY.get(bytes, i) & NON_ASCII_BITS) == 0) {
                    i += Long.BYTES;
                }
                if (i == to) {
                    break;
                }
            }
            if (!step(bytes[i] & FrameFormat.BYTE_MASK)) {
                return false;
            }
            i++;
        }
        return expected != FAILED;
    }

    /** Whether the input so far is valid and ends on a character boundary. */
    public boolean isComplete() {
        return expected == 0;
    }

    /** Whether an invalid byte was seen since the last {@link #reset()}. */
    public boolean isFailed() {
        return expected == FAILED;
    }

    /** Advances over one byte (0–255); false, and failed from now on, if it is invalid here. */
    private boolean step(int b) {
        if (expected > 0) {
            if (b < nextMin || b > nextMax) {
                expected = FAILED;
                return false;
            }
            expected--;
            nextMin = TAIL_MIN;
            nextMax = TAIL_MAX;
            return true;
        }
        if (expected == FAILED) {
            return false;
        }
        if (b < MIN_NON_ASCII) {
            return true;
        }
        if (b < TWO_BYTE_LEAD_MIN || b > FOUR_BYTE_LEAD_MAX) {
            // a stray UTF8-tail, or a lead no valid sequence starts with
            expected = FAILED;
            return false;
        }
        if (b < THREE_BYTE_LEAD_MIN) {
            expected = TWO_BYTE_TAILS;
        } else if (b < FOUR_BYTE_LEAD_MIN) {
            expected = THREE_BYTE_TAILS;
            nextMin = b == LEAD_E0 ? AFTER_E0_MIN : TAIL_MIN;
            nextMax = b == LEAD_ED ? AFTER_ED_MAX : TAIL_MAX;
        } else {
            expected = FOUR_BYTE_TAILS;
            nextMin = b == LEAD_F0 ? AFTER_F0_MIN : TAIL_MIN;
            nextMax = b == LEAD_F4 ? AFTER_F4_MAX : TAIL_MAX;
        }
        return true;
    }
}
