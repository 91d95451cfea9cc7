package dev.ringhttp.sample;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The sample's HTTP routes. {@code /}, {@code /hello} and {@code /echo} fill
 * the core response themselves ({@code void} methods taking
 * {@link HttpResponse}), so that in steady state they allocate nothing: a
 * static body is a direct buffer shared by every response, the echo is staged
 * straight from the request buffer into the outgoing ring.
 */
@Component
public class SampleRoutes {

    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    private static final String TEXT_HTML = "text/html; charset=utf-8";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String NO_CACHE = "no-cache";
    private static final ByteBuffer HELLO = constant("Hello, World!".getBytes(StandardCharsets.US_ASCII));

    private final RingHttpServer server;
    private final ByteBuffer dashboard;

    public SampleRoutes(RingHttpServer server) {
        this.server = server;
        this.dashboard = constant(load("dashboard/index.html"));
    }

    /** The dashboard page, loaded once at start-up. */
    @HttpRoute("/")
    public void dashboard(HttpResponse response) {
        response.contentType(TEXT_HTML).cacheControl(NO_CACHE).body(dashboard);
    }

    /** The plaintext benchmark route. */
    @HttpRoute("/hello")
    public void hello(HttpResponse response) {
        response.contentType(TEXT_PLAIN).body(HELLO);
    }

    /** Answers the request body with the request's content type. */
    @HttpRoute(path = "/echo", method = HttpMethod.POST)
    public void echo(HttpRequest request, HttpResponse response) {
        String type = request.header("Content-Type");
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

    private static byte[] load(String resource) {
        try (InputStream in = new ClassPathResource(resource).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the classpath", e);
        }
    }
}
