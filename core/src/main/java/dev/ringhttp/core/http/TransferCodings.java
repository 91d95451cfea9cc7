package dev.ringhttp.core.http;

import dev.ringhttp.core.CloseReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Judges a request's {@code Transfer-Encoding} fields, all of them read as one comma list in
 * field order (RFC 9110 section 5.3), by RFC 9112 sections 6.1 and 6.3:
 * <ul>
 *   <li>exactly {@code chunked} (any case, empty list elements ignored): accepted;
 *   <li>{@code chunked} more than once, or no coding at all: faulty framing, {@code BAD_REQUEST}
 *       (400; a sender must never chunk twice);
 *   <li>any other coding, before {@code chunked} or instead of it ({@code gzip, chunked},
 *       {@code gzip}): a coding this server does not implement,
 *       {@code UNSUPPORTED_TRANSFER_ENCODING} (501, section 6.1). Either way the connection
 *       closes after the answer, so a body whose end cannot be found is never read as a request.
 * </ul>
 * A coding with parameters ({@code chunked;x=1}) is not {@code chunked}. Allocates nothing.
 */
final class TransferCodings {

    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);

    private TransferCodings() {
    }

    /** Whether the request's codings are exactly {@code chunked}: {@code null}; else why it is refused. */
    static CloseReason judge(ParsedRequest request) {
        ByteBuffer buffer = request.buffer();
        int codings = 0;
        int chunked = 0;
        boolean lastIsChunked = false;
        for (int field = 0; field < request.headerCount(); field++) {
            if (request.kind(field) != KnownHeader.TRANSFER_ENCODING) {
                continue;
            }
            int end = request.valueStart(field) + request.valueLength(field);
            int elementStart = request.valueStart(field);
            while (elementStart <= end) {
                int elementEnd = elementStart;
                while (elementEnd < end && buffer.get(elementEnd) != ',') {
                    elementEnd++;
                }
                int first = elementStart;
                int last = elementEnd;
                while (first < last && HttpChars.isOws(buffer.get(first))) {
                    first++;
                }
                while (last > first && HttpChars.isOws(buffer.get(last - 1))) {
                    last--;
                }
                if (last > first) {
                    codings++;
                    lastIsChunked = HttpChars.regionEqualsLowerCase(buffer, first, last - first, CHUNKED);
                    if (lastIsChunked) {
                        chunked++;
                    }
                }
                elementStart = elementEnd + 1;
            }
        }
        if (codings == 0 || chunked > 1) {
            return CloseReason.BAD_REQUEST;
        }
        return codings == 1 && lastIsChunked ? null : CloseReason.UNSUPPORTED_TRANSFER_ENCODING;
    }
}
