package dev.ringhttp.sample;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;

/**
 * The sample's HTTP routes. {@code /hello} and {@code /echo} fill the core
 * response themselves ({@code void} methods taking {@link HttpResponse}), so
 * that in steady state they allocate nothing: a static body is a direct buffer
 * shared by every response, the echo is staged straight from the request
 * buffer into the outgoing ring. The dashboard page is no route: it is
 * {@code static/index.html}, a static resource served at {@code /}.
 */
@Component
public class SampleRoutes {

    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final ByteBuffer HELLO = constant("Hello, World!".getBytes(StandardCharsets.US_ASCII));
    /** Longest Content-Type {@code /echo} sends back; real media types are far shorter (RFC 6838: 127-character names). */
    static final int MAX_ECHOED_CONTENT_TYPE = 1024;
    private static final ByteBuffer CONTENT_TYPE_TOO_LONG = constant(("Content-Type longer than "
            + MAX_ECHOED_CONTENT_TYPE + " characters is not echoed\n").getBytes(StandardCharsets.US_ASCII));

    private final RingHttpServer server;

    public SampleRoutes(RingHttpServer server) {
        this.server = server;
    }

    /** The plaintext benchmark route. */
    @HttpRoute("/hello")
    public void hello(HttpResponse response) {
        response.contentType(TEXT_PLAIN).body(HELLO);
    }

    /**
     * Answers the request body with the request's content type. A content type longer than
     * {@value #MAX_ECHOED_CONTENT_TYPE} characters is refused with 415: echoed, it would not fit the
     * response head ({@code ringhttp.server.response-header-buffer-size}), which the server would
     * answer with a 500 and log as this route's error, when the mistake is the client's.
     */
    @HttpRoute(path = "/echo", method = HttpMethod.POST)
    public void echo(HttpRequest request, HttpResponse response) {
        String type = request.header("Content-Type");
        if (type != null && type.length() > MAX_ECHOED_CONTENT_TYPE) {
            response.status(415).contentType(TEXT_PLAIN).body(CONTENT_TYPE_TOO_LONG);
            return;
        }
        response.contentType(type != null ? type : OCTET_STREAM);
        server.staging().bytes(request.body());
        response.stagedBody();
    }

    /** The server's counters as JSON. */
    @HttpRoute("/api/stats")
    public StatsSnapshot stats() {
        return StatsSnapshot.of(server);
    }

    /** A direct, read-only buffer the server may share between responses. */
    private static ByteBuffer constant(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }
}
