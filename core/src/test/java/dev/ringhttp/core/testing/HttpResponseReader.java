package dev.ringhttp.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 responses from a stream, byte by byte so that nothing after a response is
 * consumed: a status line, header lines, then a body of Content-Length bytes (none after a HEAD
 * request, none without the header). Bounded: a line over {@value #MAX_LINE} bytes or more than
 * {@value #MAX_HEADERS} header lines is an {@link IOException}, so a broken server cannot make a
 * test read forever.
 */
public final class HttpResponseReader {

    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 64;
    static final int MAX_HEAD = 64 * 1024;

    private HttpResponseReader() {
    }

    /**
     * The next response, or null at an end of stream before its first byte; an
     * {@link EOFException} when the stream ends inside it. {@code headRequest} means no body
     * follows whatever Content-Length says.
     */
    public static RawResponse read(InputStream in, boolean headRequest) throws IOException {
        String statusLine = line(in, true);
        if (statusLine == null) {
            return null;
        }
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("malformed status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("malformed status line: " + statusLine, e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in, false); !line.isEmpty(); line = line(in, false)) {
            if (headers.size() == MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " header lines");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body = new byte[0];
        String length = headers.get("content-length");
        if (!headRequest && length != null) {
            int n = Integer.parseInt(length);
            body = in.readNBytes(n);
            if (body.length != n) {
                throw new EOFException("body cut at " + body.length + " of " + n + " bytes");
            }
        }
        return new RawResponse(status, statusLine, headers, body);
    }

    /**
     * The bytes up to and including the blank line that ends a head, as ISO-8859-1 text; null at
     * an end of stream before its first byte.
     */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        while (last != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("stream ended inside a response head: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            if (head.size() == MAX_HEAD) {
                throw new IOException("response head longer than " + MAX_HEAD + " bytes");
            }
            head.write(b);
            last = last << 8 | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static String line(InputStream in, boolean endAllowed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i < MAX_LINE; i++) {
            int c = in.read();
            if (c < 0) {
                if (endAllowed && line.size() == 0) {
                    return null;
                }
                throw new EOFException("stream ended inside a response head");
            }
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        throw new IOException("response line longer than " + MAX_LINE + " bytes");
    }
}
