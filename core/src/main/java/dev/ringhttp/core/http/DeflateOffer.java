package dev.ringhttp.core.http;

import java.nio.ByteBuffer;

/**
 * Whether a {@code Sec-WebSocket-Extensions} field value offers {@code permessage-deflate}
 * (RFC 7692) in a form this server accepts: reading it in place, allocating nothing.
 *
 * <p>The server always answers {@code permessage-deflate; server_no_context_takeover;
 * client_no_context_takeover} (section 7.1.1 lets a server add both to any offer), so neither
 * side keeps a compression context between messages and no per-connection state exists. So an
 * offer is acceptable when each of its parameters is one of
 * <ul>
 *   <li>{@code server_no_context_takeover} or {@code client_no_context_takeover}, without a value;
 *   <li>{@code client_max_window_bits}, without a value or with 8 to 15 (the client may limit
 *       its own window; the server inflates any window up to 15);
 *   <li>{@code server_max_window_bits=15}: the JDK's deflater writes only 15-bit windows, so an
 *       offer asking for a smaller one is declined (section 7.1.2.1), and the next one tried;
 * </ul>
 * each at most once (section 7.1: a duplicate or an unknown parameter declines the offer). Values
 * may be quoted. The grammar is RFC 6455 section 9.1: extensions separated by commas, parameters
 * by semicolons, with optional whitespace around both.
 */
final class DeflateOffer {

    private static final String NAME = "permessage-deflate";
    private static final int MIN_WINDOW_BITS = 8;
    private static final int MAX_WINDOW_BITS = 15;

    private static final int SERVER_NO_CONTEXT_TAKEOVER = 1;
    private static final int CLIENT_NO_CONTEXT_TAKEOVER = 1 << 1;
    private static final int SERVER_MAX_WINDOW_BITS = 1 << 2;
    private static final int CLIENT_MAX_WINDOW_BITS = 1 << 3;

    private DeflateOffer() {
    }

    /** Whether bytes {@code [start, start + length)} hold an acceptable permessage-deflate offer. */
    static boolean acceptable(ByteBuffer buffer, int start, int length) {
        int end = start + length;
        int i = start;
        while (i < end) {
            int elementEnd = indexOf(buffer, i, end, (byte) ',');
            if (acceptableElement(buffer, i, elementEnd)) {
                return true;
            }
            i = elementEnd + 1;
        }
        return false;
    }

    /** One extension: its name, then {@code ; parameter} items. */
    private static boolean acceptableElement(ByteBuffer buffer, int from, int to) {
        int nameEnd = indexOf(buffer, from, to, (byte) ';');
        int nameStart = trimStart(buffer, from, nameEnd);
        if (!HttpChars.regionEqualsIgnoreCase(buffer, nameStart, trimEnd(buffer, nameStart, nameEnd) - nameStart, NAME)) {
            return false;
        }
        int seen = 0;
        // i is at a ';' (or at the end): a parameter follows each ';'.
        for (int i = nameEnd; i < to; ) {
            int parameterEnd = indexOf(buffer, i + 1, to, (byte) ';');
            int parameter = parameter(buffer, i + 1, parameterEnd);
            if (parameter == 0 || (seen & parameter) != 0) {
                return false;
            }
            seen |= parameter;
            i = parameterEnd;
        }
        return true;
    }

    /** The flag of an acceptable parameter in {@code [from, to)}, or 0 if it declines the offer. */
    private static int parameter(ByteBuffer buffer, int from, int to) {
        int equals = indexOf(buffer, from, to, (byte) '=');
        int nameStart = trimStart(buffer, from, equals);
        int nameLength = trimEnd(buffer, nameStart, equals) - nameStart;
        boolean hasValue = equals < to;
        int bits = hasValue ? windowBits(buffer, equals + 1, to) : -1;
        if (HttpChars.regionEqualsIgnoreCase(buffer, nameStart, nameLength, "server_no_context_takeover")) {
            return hasValue ? 0 : SERVER_NO_CONTEXT_TAKEOVER;
        }
        if (HttpChars.regionEqualsIgnoreCase(buffer, nameStart, nameLength, "client_no_context_takeover")) {
            return hasValue ? 0 : CLIENT_NO_CONTEXT_TAKEOVER;
        }
        if (HttpChars.regionEqualsIgnoreCase(buffer, nameStart, nameLength, "server_max_window_bits")) {
            return bits == MAX_WINDOW_BITS ? SERVER_MAX_WINDOW_BITS : 0;
        }
        if (HttpChars.regionEqualsIgnoreCase(buffer, nameStart, nameLength, "client_max_window_bits")) {
            return !hasValue || bits >= MIN_WINDOW_BITS ? CLIENT_MAX_WINDOW_BITS : 0;
        }
        return 0;
    }

    /** A value of 8 to 15, bare or quoted; -1 for anything else. */
    private static int windowBits(ByteBuffer buffer, int from, int to) {
        int start = trimStart(buffer, from, to);
        int end = trimEnd(buffer, start, to);
        if (end - start >= 2 && buffer.get(start) == '"' && buffer.get(end - 1) == '"') {
            start++;
            end--;
        }
        int value = 0;
        if (end - start < 1 || end - start > 2) {
            return -1;
        }
        for (int i = start; i < end; i++) {
            byte b = buffer.get(i);
            if (!HttpChars.isDigit(b)) {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value >= MIN_WINDOW_BITS && value <= MAX_WINDOW_BITS ? value : -1;
    }

    private static int indexOf(ByteBuffer buffer, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buffer.get(i) == b) {
                return i;
            }
        }
        return to;
    }

    /** The first index of {@code [from, to)} that is not a space or tab, or {@code to}. */
    private static int trimStart(ByteBuffer buffer, int from, int to) {
        int i = from;
        while (i < to && HttpChars.isOws(buffer.get(i))) {
            i++;
        }
        return i;
    }

    /** One past the last index of {@code [from, to)} that is not a space or tab, or {@code from}. */
    private static int trimEnd(ByteBuffer buffer, int from, int to) {
        int i = to;
        while (i > from && HttpChars.isOws(buffer.get(i - 1))) {
            i--;
        }
        return i;
    }
}
