package dev.ringhttp.core.http;

import java.nio.ByteBuffer;

/**
 * Byte classes of RFC 9110 / RFC 9112 and comparisons made in place on a request buffer.
 *
 * <p>Every method reads the buffer with absolute {@code get(int)} only, so the buffer's position
 * and limit are never read or changed, and none of them allocates. Case-insensitive comparisons
 * fold ASCII letters only ({@code A-Z} to {@code a-z}); any other byte, including obs-text
 * ({@code 0x80-0xFF}), must match exactly. A {@code char} above {@code 0xFF} in a candidate
 * never matches a byte.
 */
final class HttpChars {

    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';
    static final byte COLON = ':';
    static final byte COMMA = ',';
    static final byte QUESTION_MARK = '?';
    static final byte SLASH = '/';
    static final byte ASTERISK = '*';
    static final byte DOT = '.';
    static final byte PERCENT = '%';

    /** The highest visible ASCII character; {@code 0x7F} (DEL) is a control character. */
    private static final int LAST_VCHAR = 0x7E;
    /** The first visible ASCII character; everything below, but HTAB, is SP or a control. */
    private static final int FIRST_VCHAR = 0x21;
    private static final int DEL = 0x7F;
    private static final int BYTE_VALUES = 256;
    private static final int ASCII_CASE_OFFSET = 'a' - 'A';

    /** RFC 9110 section 5.6.2: {@code tchar}, the characters of a token. */
    private static final boolean[] TCHAR = new boolean[BYTE_VALUES];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            TCHAR[c] = true;
            TCHAR[c + ASCII_CASE_OFFSET] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpChars() {
    }

    /** Whether {@code b} is a {@code tchar} (RFC 9110 section 5.6.2). */
    static boolean isTchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    /** Whether {@code b} may appear in a request target: visible ASCII, {@code 0x21-0x7E}. */
    static boolean isTargetByte(byte b) {
        int c = b & 0xFF;
        return c >= FIRST_VCHAR && c <= LAST_VCHAR;
    }

    /**
     * Whether {@code b} may appear in a field value (RFC 9110 section 5.5): VCHAR, SP, HTAB or
     * obs-text. NUL, every other control character and DEL are refused.
     */
    static boolean isFieldValueByte(byte b) {
        int c = b & 0xFF;
        return c == HTAB || (c >= SP && c != DEL);
    }

    /** Whether {@code b} is optional whitespace, SP or HTAB (RFC 9110 section 5.6.3). */
    static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** RFC 5234 {@code HEXDIG}, either case (RFC 3986 section 2.1: "uppercase and lowercase ... are equivalent"). */
    static boolean isHexDigit(byte b) {
        return isDigit(b) || (b >= 'A' && b <= 'F') || (b >= 'a' && b <= 'f');
    }

    private static int toLowerAscii(int c) {
        return c >= 'A' && c <= 'Z' ? c + ASCII_CASE_OFFSET : c;
    }

    /** Whether bytes {@code [start, start + length)} equal {@code candidate} exactly. */
    static boolean regionEquals(ByteBuffer buffer, int start, int length, CharSequence candidate) {
        return length == candidate.length() && regionMatches(buffer, start, candidate, length, false);
    }

    /** Whether bytes {@code [start, start + length)} equal {@code candidate}, ASCII case ignored. */
    static boolean regionEqualsIgnoreCase(ByteBuffer buffer, int start, int length, CharSequence candidate) {
        return length == candidate.length() && regionMatches(buffer, start, candidate, length, true);
    }

    /** Whether bytes {@code [start, start + length)} start with {@code prefix} exactly. */
    static boolean regionStartsWith(ByteBuffer buffer, int start, int length, CharSequence prefix) {
        int prefixLength = prefix.length();
        return prefixLength <= length && regionMatches(buffer, start, prefix, prefixLength, false);
    }

    private static boolean regionMatches(
            ByteBuffer buffer, int start, CharSequence candidate, int count, boolean ignoreCase) {
        for (int i = 0; i < count; i++) {
            int b = buffer.get(start + i) & 0xFF;
            int c = candidate.charAt(i);
            if (b != c && !(ignoreCase && toLowerAscii(b) == toLowerAscii(c))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether bytes {@code [start, start + length)} equal {@code lowerCase}, ASCII case ignored.
     * {@code lowerCase} must hold no upper-case ASCII letter.
     */
    static boolean regionEqualsLowerCase(ByteBuffer buffer, int start, int length, byte[] lowerCase) {
        if (length != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (toLowerAscii(buffer.get(start + i) & 0xFF) != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether bytes {@code [start, start + length)} equal {@code expected} exactly. */
    static boolean regionEquals(ByteBuffer buffer, int start, int length, byte[] expected) {
        if (length != expected.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.get(start + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether two regions of {@code buffer} hold the same bytes. */
    static boolean regionsEqual(ByteBuffer buffer, int start, int length, int otherStart, int otherLength) {
        if (length != otherLength) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buffer.get(start + i) != buffer.get(otherStart + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the comma-separated list in {@code [start, start + length)} has an element equal to
     * {@code token} (RFC 9110 section 5.6.1: {@code #element}, OWS around each element, empty
     * elements allowed and skipped).
     *
     * @param token the element looked for; with {@code ignoreCase}, in lower case
     * @param ignoreCase whether ASCII case is ignored
     */
    static boolean listContains(ByteBuffer buffer, int start, int length, byte[] token, boolean ignoreCase) {
        int end = start + length;
        int elementStart = start;
        while (elementStart <= end) {
            int elementEnd = elementStart;
            while (elementEnd < end && buffer.get(elementEnd) != COMMA) {
                elementEnd++;
            }
            int first = elementStart;
            int last = elementEnd;
            while (first < last && isOws(buffer.get(first))) {
                first++;
            }
            while (last > first && isOws(buffer.get(last - 1))) {
                last--;
            }
            boolean match = ignoreCase
                    ? regionEqualsLowerCase(buffer, first, last - first, token)
                    : regionEquals(buffer, first, last - first, token);
            if (match) {
                return true;
            }
            elementStart = elementEnd + 1;
        }
        return false;
    }
}
