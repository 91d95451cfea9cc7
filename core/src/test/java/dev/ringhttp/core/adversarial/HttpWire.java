package dev.ringhttp.core.adversarial;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Minimal HTTP/1.1 client framing: requests out, responses (status, body by Content-Length) in. */
final class HttpWire {

    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 64;

    /** One response as read. */
    record Response(int status, byte[] body) {
    }

    private HttpWire() {
    }

    static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The next response, or null at a clean end of stream between responses; throws on a cut or malformed one. */
    static Response read(InputStream in) throws IOException {
        String status = line(in, true);
        if (status == null) {
            return null;
        }
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("malformed status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        for (int i = 0; ; i++) {
            if (i == MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " header lines");
            }
            String h = line(in, false);
            if (h.isEmpty()) {
                break;
            }
            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("response " + code + " without Content-Length");
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new EOFException("body cut at " + body.length + " of " + length);
        }
        return new Response(code, body);
    }

    private static String line(InputStream in, boolean eofAllowed) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < MAX_LINE; i++) {
            int c = in.read();
            if (c < 0) {
                if (eofAllowed && b.size() == 0) {
                    return null;
                }
                throw new EOFException("cut inside a response head");
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        throw new IOException("response line longer than " + MAX_LINE);
    }
}
