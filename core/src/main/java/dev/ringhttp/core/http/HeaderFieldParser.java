package dev.ringhttp.core.http;

import dev.ringhttp.core.CloseReason;
import java.nio.ByteBuffer;

/**
 * Parses one complete header field line, RFC 9112 section 5:
 * {@code field-line = field-name ":" OWS field-value OWS}.
 *
 * <p>The CRLF and the line's place in the head are the line scanner's business
 * ({@link RequestParser}); this class sees only the bytes before the CR, and refuses with
 * {@code BAD_REQUEST}:
 * <ul>
 *   <li>a line starting with SP or HTAB: obsolete line folding (RFC 9112 section 5.2), or
 *       whitespace between the start line and the first field (section 2.2);
 *   <li>an empty name, a name byte that is not a {@code tchar}, a line without a colon;
 *   <li>whitespace between the name and the colon (section 5.1: a server MUST reject it, as
 *       proxies disagree about such a field's name);
 *   <li>a value byte that is NUL, another control character or DEL (RFC 9110 section 5.5);
 *       HTAB, SP, visible ASCII and obs-text ({@code 0x80-0xFF}) are allowed.
 * </ul>
 * A line beyond the request's {@code maxHeaderCount}-th field is {@code HEADERS_TOO_LARGE};
 * that is checked before anything else on the line.
 *
 * <p>The value is recorded without its leading and trailing OWS.
 */
final class HeaderFieldParser {

    private HeaderFieldParser() {
    }

    /**
     * Parses bytes {@code [start, end)} (a non-empty line without its CRLF) and adds the field
     * to {@code target}.
     *
     * @param maxHeaderCount the most fields a request may have, at most the target's capacity
     * @return {@code null} if the field is valid and recorded, else why it is refused
     */
    static CloseReason parse(ByteBuffer buffer, int start, int end, ParsedRequest target, int maxHeaderCount) {
        if (target.headerCount() >= maxHeaderCount) {
            return CloseReason.HEADERS_TOO_LARGE;
        }
        int i = start;
        while (i < end && buffer.get(i) != HttpChars.COLON) {
            if (!HttpChars.isTchar(buffer.get(i))) {
                // Covers obs-fold (SP or HTAB first) and whitespace before the colon as well.
                return CloseReason.BAD_REQUEST;
            }
            i++;
        }
        int nameEnd = i;
        if (nameEnd == start || nameEnd == end) {
            return CloseReason.BAD_REQUEST;
        }

        int valueStart = nameEnd + 1;
        while (valueStart < end && HttpChars.isOws(buffer.get(valueStart))) {
            valueStart++;
        }
        int valueEnd = valueStart;
        for (i = valueStart; i < end; i++) {
            byte b = buffer.get(i);
            if (!HttpChars.isFieldValueByte(b)) {
                return CloseReason.BAD_REQUEST;
            }
            if (!HttpChars.isOws(b)) {
                valueEnd = i + 1;
            }
        }
        int nameLength = nameEnd - start;
        target.addHeader(start, nameLength, valueStart, valueEnd - valueStart,
                KnownHeader.of(buffer, start, nameLength));
        return null;
    }
}
