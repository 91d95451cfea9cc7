package dev.ringhttp.autoconfigure.cluster;

import java.nio.ByteBuffer;

/**
 * Whether bytes are well-formed UTF-8, by the table of well-formed byte sequences in the Unicode
 * standard (chapter 3, table 3-7): no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
 * U+10FFFF. Allocates nothing, so a received text payload is checked without decoding it.
 */
final class Utf8 {

    private Utf8() {
    }

    /** Whether the remaining bytes of {@code bytes} are well-formed UTF-8; the position does not move. */
    static boolean isWellFormed(ByteBuffer bytes) {
        int i = bytes.position();
        int end = bytes.limit();
        while (i < end) {
            int b0 = bytes.get(i) & 0xFF;
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int length;
            int secondMin = 0x80;
            int secondMax = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                length = 2;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                length = 3;
                if (b0 == 0xE0) {
                    secondMin = 0xA0; // below: an overlong form of a code point under U+0800
                } else if (b0 == 0xED) {
                    secondMax = 0x9F; // above: the surrogates U+D800..U+DFFF
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                length = 4;
                if (b0 == 0xF0) {
                    secondMin = 0x90; // below: an overlong form of a code point under U+10000
                } else if (b0 == 0xF4) {
                    secondMax = 0x8F; // above: beyond U+10FFFF
                }
            } else {
                return false; // a continuation byte first, C0/C1 (always overlong), or F5..FF
            }
            if (end - i < length) {
                return false;
            }
            int b1 = bytes.get(i + 1) & 0xFF;
            if (b1 < secondMin || b1 > secondMax) {
                return false;
            }
            for (int k = 2; k < length; k++) {
                int b = bytes.get(i + k) & 0xFF;
                if (b < 0x80 || b > 0xBF) {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }
}
