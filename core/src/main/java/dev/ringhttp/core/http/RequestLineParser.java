package dev.ringhttp.core.http;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.HttpMethod;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Parses a complete request line, RFC 9112 section 3:
 * {@code request-line = method SP request-target SP HTTP-version}, exactly one SP between the
 * parts (the lenient whitespace parsing the RFC permits is not used).
 *
 * <p>The line's length limit and its CRLF are the line scanner's business ({@link RequestParser});
 * this class sees only the bytes before the CR. The checks run in this order, and the first
 * failure is the answer:
 * <ol>
 *   <li>the method is a non-empty token, else {@code BAD_REQUEST};
 *   <li>the target is non-empty visible ASCII ({@code 0x21-0x7E}) in which every {@code '%'}
 *       starts a {@code pct-encoded} triplet, {@code "%" HEXDIG HEXDIG} (RFC 3986 section 2.1, in
 *       the path and the query alike), else {@code BAD_REQUEST};
 *   <li>the version is {@code HTTP/DIGIT.DIGIT}, else {@code BAD_REQUEST}; a major version other
 *       than 1 is {@code UNSUPPORTED_HTTP_VERSION}; a 1.x above 1.1 is served as 1.1, the highest
 *       minor version this server speaks (RFC 9112 section 2.3);
 *   <li>the target is in origin-form (starts with {@code '/'}), is {@code *}, or is in
 *       absolute-form ({@code http://} or {@code https://}, any case, then an authority and an
 *       optional path; RFC 9112 section 3.2.2): then the path and query are those after the
 *       authority, and an empty path is {@code /}. The authority is not checked against
 *       {@code Host}. Authority-form and other schemes are {@code BAD_REQUEST};
 *   <li>the method is one of {@link HttpMethod} (case-sensitive, RFC 9110 section 9.1), else
 *       {@code UNKNOWN_METHOD}: a lower-case {@code get} is an unknown method;
 *   <li>asterisk-form is allowed only with OPTIONS (RFC 9112 section 3.2.4), else
 *       {@code BAD_REQUEST}.
 * </ol>
 * Syntax comes before meaning, so an unknown method with a malformed line is a 400, not a 501.
 *
 * <p>The target is kept as sent, never decoded here. Checking the percent-encoding is what lets
 * every later decoder (Spring's path matching, a query parser) succeed on any target that got
 * this far, so a client's malformed target is answered as a client mistake, once, here. What a
 * well-formed triplet decodes to is not judged: {@code %00}, {@code %2F} or bytes that are not
 * UTF-8 are valid URI syntax, and whoever decodes them decides what they mean.
 */
final class RequestLineParser {

    /** {@code "HTTP/"} then {@code DIGIT "." DIGIT}: RFC 9112 section 2.3. */
    private static final byte[] HTTP_NAME = "HTTP/".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION_LENGTH = HTTP_NAME.length + 3;
    private static final int MAJOR_OFFSET = HTTP_NAME.length;
    private static final int DOT_OFFSET = HTTP_NAME.length + 1;
    private static final int MINOR_OFFSET = HTTP_NAME.length + 2;
    private static final byte[] HTTP_SCHEME = "http://".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTPS_SCHEME = "https://".getBytes(StandardCharsets.US_ASCII);
    /** Hex digits after each {@code '%'}: RFC 3986 section 2.1, {@code pct-encoded = "%" HEXDIG HEXDIG}. */
    private static final int PCT_HEX_DIGITS = 2;

    private static final HttpMethod[] METHODS = HttpMethod.values();
    private static final byte[][] METHOD_NAMES = new byte[METHODS.length][];

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_NAMES[i] = METHODS[i].name().getBytes(StandardCharsets.US_ASCII);
        }
    }

    private RequestLineParser() {
    }

    /**
     * Parses bytes {@code [start, end)} (the line without its CRLF) into {@code target}.
     *
     * @return {@code null} if the line is valid, else why it is refused
     */
    static CloseReason parse(ByteBuffer buffer, int start, int end, ParsedRequest target) {
        int i = start;
        while (i < end && buffer.get(i) != HttpChars.SP) {
            if (!HttpChars.isTchar(buffer.get(i))) {
                return CloseReason.BAD_REQUEST;
            }
            i++;
        }
        int methodEnd = i;
        if (methodEnd == start || methodEnd == end) {
            return CloseReason.BAD_REQUEST;
        }

        int targetStart = methodEnd + 1;
        int queryMark = -1;
        int hexDigitsDue = 0;
        i = targetStart;
        while (i < end && buffer.get(i) != HttpChars.SP) {
            byte b = buffer.get(i);
            if (!HttpChars.isTargetByte(b)) {
                return CloseReason.BAD_REQUEST;
            }
            if (hexDigitsDue > 0) {
                if (!HttpChars.isHexDigit(b)) {
                    return CloseReason.BAD_REQUEST;
                }
                hexDigitsDue--;
            } else if (b == HttpChars.PERCENT) {
                hexDigitsDue = PCT_HEX_DIGITS;
            } else if (b == HttpChars.QUESTION_MARK && queryMark < 0) {
                queryMark = i;
            }
            i++;
        }
        int targetEnd = i;
        if (targetEnd == targetStart || targetEnd == end || hexDigitsDue > 0) {
            return CloseReason.BAD_REQUEST;
        }

        int versionStart = targetEnd + 1;
        if (end - versionStart != VERSION_LENGTH
                || !HttpChars.regionEquals(buffer, versionStart, HTTP_NAME.length, HTTP_NAME)
                || !HttpChars.isDigit(buffer.get(versionStart + MAJOR_OFFSET))
                || buffer.get(versionStart + DOT_OFFSET) != HttpChars.DOT
                || !HttpChars.isDigit(buffer.get(versionStart + MINOR_OFFSET))) {
            return CloseReason.BAD_REQUEST;
        }
        byte major = buffer.get(versionStart + MAJOR_OFFSET);
        byte minor = buffer.get(versionStart + MINOR_OFFSET);
        if (major != '1') {
            return CloseReason.UNSUPPORTED_HTTP_VERSION;
        }

        int targetLength = targetEnd - targetStart;
        byte first = buffer.get(targetStart);
        boolean asteriskForm = first == HttpChars.ASTERISK && targetLength == 1;
        if (first != HttpChars.SLASH && !asteriskForm) {
            int authorityStart = absoluteFormAuthority(buffer, targetStart, targetEnd);
            if (authorityStart < 0) {
                return CloseReason.BAD_REQUEST;
            }
            int pathStart = authorityStart;
            while (pathStart < targetEnd && buffer.get(pathStart) != HttpChars.SLASH
                    && buffer.get(pathStart) != HttpChars.QUESTION_MARK) {
                pathStart++;
            }
            if (pathStart == authorityStart) {
                return CloseReason.BAD_REQUEST;
            }
            if (pathStart == targetEnd) {
                // No path: it reads "/", the second slash of the scheme's "//".
                targetStart = authorityStart - 1;
                targetLength = 1;
            } else if (buffer.get(pathStart) == HttpChars.SLASH) {
                targetStart = pathStart;
                targetLength = targetEnd - pathStart;
            } else {
                // A query right after the authority: the query must follow a path in the buffer.
                return CloseReason.BAD_REQUEST;
            }
        }
        HttpMethod method = method(buffer, start, methodEnd - start);
        if (method == null) {
            return CloseReason.UNKNOWN_METHOD;
        }
        if (asteriskForm && method != HttpMethod.OPTIONS) {
            return CloseReason.BAD_REQUEST;
        }
        int pathLength = queryMark < 0 ? targetLength : queryMark - targetStart;
        target.setRequestLine(method, minor == '0', targetStart, targetLength, pathLength);
        return null;
    }

    /**
     * Where the authority of an absolute-form target in {@code [start, end)} begins: right after
     * {@code http://} or {@code https://} (any case); -1 for any other target.
     */
    private static int absoluteFormAuthority(ByteBuffer buffer, int start, int end) {
        int length = end - start;
        if (length > HTTP_SCHEME.length
                && HttpChars.regionEqualsLowerCase(buffer, start, HTTP_SCHEME.length, HTTP_SCHEME)) {
            return start + HTTP_SCHEME.length;
        }
        if (length > HTTPS_SCHEME.length
                && HttpChars.regionEqualsLowerCase(buffer, start, HTTPS_SCHEME.length, HTTPS_SCHEME)) {
            return start + HTTPS_SCHEME.length;
        }
        return -1;
    }

    private static HttpMethod method(ByteBuffer buffer, int start, int length) {
        for (int i = 0; i < METHODS.length; i++) {
            if (HttpChars.regionEquals(buffer, start, length, METHOD_NAMES[i])) {
                return METHODS[i];
            }
        }
        return null;
    }
}
