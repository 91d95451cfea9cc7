package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;

/**
 * A request as spring-web's converters read it: its headers, copied once, and its body
 * streamed straight from the connection's buffer. Valid only while the request is (on the
 * loop, during the handler call).
 */
final class RequestBodyMessage implements HttpInputMessage {

    private final HttpHeaders headers = new HttpHeaders();
    private final ByteBuffer body;

    RequestBodyMessage(HttpRequest request) {
        for (int i = 0; i < request.headerCount(); i++) {
            headers.add(request.headerName(i), request.headerValue(i));
        }
        // A duplicate: reading must not move the request's own view, which other resolvers may read too.
        this.body = request.body().duplicate();
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }

    @Override
    public InputStream getBody() {
        return new BufferInputStream(body);
    }

    /** Reads a buffer from its position to its limit. */
    private static final class BufferInputStream extends InputStream {

        private final ByteBuffer buffer;

        BufferInputStream(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.get(into, offset, n);
            return n;
        }

        @Override
        public int available() {
            return buffer.remaining();
        }
    }
}
