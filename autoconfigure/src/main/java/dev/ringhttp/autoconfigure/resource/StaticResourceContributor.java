package dev.ringhttp.autoconfigure.resource;

import dev.ringhttp.autoconfigure.route.RouteContributor;
import dev.ringhttp.autoconfigure.route.RouteObserver;
import dev.ringhttp.autoconfigure.route.RouteTable;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Answers requests for static files, on the event loop.
 *
 * <p>Routes come first: once the route table is built, every file path that
 * some {@code @HttpRoute} pattern matches (for any method) is left out, so
 * the route answers it as if the file did not exist. The remaining paths are
 * matched in place before the routes are asked ({@link StaticPathIndex}).
 *
 * <p>GET and HEAD answer the file with {@code Content-Type}, {@code ETag},
 * {@code Last-Modified} and {@code Cache-Control}, or {@code 304} when the
 * client's copy is current ({@link ConditionalGet}); OPTIONS answers
 * {@code 204} and other methods {@code 405}, both with {@code Allow}. The
 * body is the file's shared direct buffer: a response formats and copies
 * nothing, and in the common cases (a hit, a miss, a revalidation with the
 * tag or date we sent) allocates nothing.
 *
 * <p>Answers are reported to the {@link RouteObserver} under the route
 * label {@value #ROUTE}, the pattern Spring MVC serves static resources on.
 */
public final class StaticResourceContributor implements RouteContributor {

    /** The route label of static answers in metrics. */
    public static final String ROUTE = "/**";

    static final String ALLOW = "GET, HEAD, OPTIONS";
    private static final Log LOG = LogFactory.getLog(StaticResourceContributor.class);
    private static final ByteBuffer METHOD_NOT_ALLOWED = constant("Method Not Allowed\n");
    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private final StaticResources resources;
    private final String cacheControl;
    private final RouteObserver observer;
    /** Null until the routes are known: nothing is served before the server starts. */
    private volatile @Nullable StaticPathIndex index;
    private volatile Map<String, StaticFile> served = Map.of();

    public StaticResourceContributor(StaticResources resources, String cacheControl, RouteObserver observer) {
        this.resources = resources;
        this.cacheControl = cacheControl;
        this.observer = observer;
    }

    public StaticResources resources() {
        return resources;
    }

    /** The request paths served, each with its file: those no route takes. Empty until the routes are known. */
    public Map<String, StaticFile> servedPaths() {
        return served;
    }

    /** Leaves every path a route matches to the routes, and indexes the rest. */
    @Override
    public void routesInstalled(RouteTable routes) {
        Map<String, StaticFile> served = new LinkedHashMap<>();
        resources.requestPaths().forEach((path, file) -> {
            if (routes.matchesPath(path)) {
                LOG.debug("Static resource " + file.name() + " is not served at " + path + ": a route matches it");
            } else {
                served.put(path, file);
            }
        });
        this.served = Collections.unmodifiableMap(served);
        this.index = new StaticPathIndex(served);
    }

    @Override
    public boolean handle(HttpRequest request, HttpResponse response) {
        StaticPathIndex current = index;
        if (current == null) {
            return false;
        }
        StaticFile file = current.find(request);
        if (file == null) {
            return false;
        }
        long start = System.nanoTime();
        HttpMethod method = request.method();
        int status = answer(file, method, request, response);
        observer.answered(method, ROUTE, status, System.nanoTime() - start);
        return true;
    }

    private int answer(StaticFile file, HttpMethod method, HttpRequest request, HttpResponse response) {
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            // A 304 carries the validators and caching headers a 200 would (RFC 9110 section 15.4.5).
            response.header("ETag", file.etag()).cacheControl(cacheControl);
            if (ConditionalGet.notModified(request, file)) {
                response.status(304);
                return 304;
            }
            if (file.lastModified() != null) {
                response.header("Last-Modified", file.lastModified());
            }
            response.contentType(file.contentType()).body(file.body());
            return 200;
        }
        response.header("Allow", ALLOW);
        if (method == HttpMethod.OPTIONS) {
            response.status(204);
            return 204;
        }
        response.status(405).contentType(TEXT_PLAIN).body(METHOD_NOT_ALLOWED);
        return 405;
    }

    private static ByteBuffer constant(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }
}
