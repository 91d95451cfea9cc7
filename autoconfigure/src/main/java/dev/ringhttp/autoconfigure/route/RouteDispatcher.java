package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The ringhttp {@link HttpHandler} of a Spring application: WebSocket
 * upgrades go to the {@code @WsHandler} paths, contributed routes (actuator)
 * come next, then the {@code @HttpRoute} table; no path gives 404, a path
 * without the method 405 with {@code Allow}, OPTIONS is answered from the
 * routes, HEAD from GET.
 *
 * <p>Exceptions: {@link ResponseStatusException} and exceptions annotated
 * with {@link ResponseStatus} answer with their status; bad arguments with
 * 400; anything else with 500, logged once and counted.
 *
 * <p>Runs on the event loop. For a literal route whose method allocates
 * nothing and returns a static or ring-staged body, dispatch allocates
 * nothing either: no locks, no parsing of the path, a reused argument array.
 */
public final class RouteDispatcher implements HttpHandler {

    static final String NOT_FOUND = "NOT_FOUND";
    static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    static final String OPTIONS = "OPTIONS";
    static final String UPGRADE = "UPGRADE";

    private static final Log LOG = LogFactory.getLog(RouteDispatcher.class);
    private static final ByteBuffer NOT_FOUND_BODY = constant("Not Found\n");
    private static final ByteBuffer METHOD_NOT_ALLOWED_BODY = constant("Method Not Allowed\n");
    private static final ByteBuffer SERVER_ERROR_BODY = constant("Internal Server Error\n");

    private final ResponseWriter writer;
    private final CorsPolicy cors;
    private final List<RouteContributor> contributors;
    private final RouteObserver observer;
    private final UpgradeResolver upgrades;
    private final ServerContext context;
    private final Invocation invocation = new Invocation();
    private volatile RouteTable routes = new RouteTable(List.of());

    /** Decides whether an upgrade request's path has a WebSocket handler: its channel, or -1. */
    @FunctionalInterface
    public interface UpgradeResolver {
        int channelFor(HttpRequest request);
    }

    /**
     * @param json     writes and reads JSON bodies; null without Jackson
     * @param context  the context of the server this dispatcher answers for, which completes asynchronous
     *                 answers: the dispatcher is its HTTP handler, so the server is built after it
     */
    public RouteDispatcher(@Nullable JsonCodec json, CorsPolicy cors, List<RouteContributor> contributors,
            RouteObserver observer, UpgradeResolver upgrades, ServerContext context) {
        this.writer = new ResponseWriter(json);
        this.cors = cors;
        this.contributors = List.copyOf(contributors);
        this.observer = observer;
        this.upgrades = upgrades;
        this.context = context;
    }

    /** Installs the route table discovered at start-up. */
    void routes(RouteTable table) {
        this.routes = table;
    }

    public RouteTable routes() {
        return routes;
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) {
        long start = System.nanoTime();
        HttpMethod method = request.method();
        if (request.isWebSocketUpgrade()) {
            int channel = upgrades.channelFor(request);
            if (channel >= 0) {
                response.upgradeToWebSocket(channel);
                observer.answered(method, UPGRADE, 101, System.nanoTime() - start);
            } else {
                response.status(404).contentType(ResponseWriter.TEXT_PLAIN).body(NOT_FOUND_BODY);
                observer.answered(method, NOT_FOUND, 404, System.nanoTime() - start);
            }
            return;
        }
        for (int i = 0; i < contributors.size(); i++) {
            if (contributors.get(i).handle(request, response)) {
                return;
            }
        }
        RouteTable.Match match = routes.find(request, method);
        Route route = match.route();
        if (route == null) {
            answerUnrouted(request, response, match, method, start);
            return;
        }
        cors.apply(request, response);
        invocation.reset(request, response, match.variables());
        Object result;
        try {
            result = route.invoker().invoke(invocation);
        } catch (Throwable t) {
            int status = fail(t, route, response);
            observer.answered(method, route.patternString(), status, System.nanoTime() - start);
            return;
        }
        if (result instanceof CompletionStage<?> stage) {
            answerLater(stage, route, method, start, response);
            return;
        }
        int status = write(result, route, response);
        observer.answered(method, route.patternString(), status, System.nanoTime() - start);
    }

    private void answerUnrouted(HttpRequest request, HttpResponse response, RouteTable.Match match,
            HttpMethod method, long start) {
        if (!match.pathMatched()) {
            response.status(404).contentType(ResponseWriter.TEXT_PLAIN).body(NOT_FOUND_BODY);
            observer.answered(method, NOT_FOUND, 404, System.nanoTime() - start);
            return;
        }
        String allow = RouteTable.allowHeader(match.allowed());
        response.header("Allow", allow);
        if (method == HttpMethod.OPTIONS) {
            cors.applyPreflight(request, response, allow);
            response.status(204);
            observer.answered(method, OPTIONS, 204, System.nanoTime() - start);
        } else {
            response.status(405).contentType(ResponseWriter.TEXT_PLAIN).body(METHOD_NOT_ALLOWED_BODY);
            observer.answered(method, METHOD_NOT_ALLOWED, 405, System.nanoTime() - start);
        }
    }

    private int write(@Nullable Object result, Route route, HttpResponse response) {
        HandlerInvoker invoker = route.invoker();
        if (invoker.writesOwnResponse()) {
            return response.status();
        }
        try {
            return writer.write(result, response, invoker.returnsVoid());
        } catch (Throwable t) {
            return fail(t, route, response);
        }
    }

    private void answerLater(CompletionStage<?> stage, Route route, HttpMethod method, long start,
            HttpResponse response) {
        RingHttpServer loop = context.server();
        long token = response.defer();
        stage.whenComplete((value, error) -> loop.execute(() -> {
            HttpResponse later = loop.deferredResponse(token);
            if (later == null) {
                return; // The client left, or was evicted, while the answer was computed.
            }
            int status = error != null ? fail(unwrap(error), route, later) : write(value, route, later);
            later.complete();
            observer.answered(method, route.patternString(), status, System.nanoTime() - start);
        }));
    }

    /** Answers an exception from a route; returns the status sent. */
    private int fail(Throwable t, Route route, HttpResponse response) {
        if (t instanceof BadRequestException) {
            return answerError(response, 400, t.getMessage());
        }
        if (t instanceof ResponseStatusException rse) {
            String reason = rse.getReason();
            return answerError(response, rse.getStatusCode().value(), reason != null ? reason : rse.getMessage());
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(t.getClass(), ResponseStatus.class);
        if (annotated != null) {
            String reason = annotated.reason().isEmpty() ? t.getMessage() : annotated.reason();
            return answerError(response, annotated.code().value(), reason);
        }
        LOG.error("@HttpRoute " + route.invoker().description() + " failed for " + route.patternString(), t);
        observer.handlerFailed(route.patternString(), t);
        response.status(500).contentType(ResponseWriter.TEXT_PLAIN).body(SERVER_ERROR_BODY);
        return 500;
    }

    private static int answerError(HttpResponse response, int status, @Nullable String message) {
        response.status(status).contentType(ResponseWriter.TEXT_PLAIN)
                .body(message == null || message.isEmpty() ? "" : message + "\n");
        return status;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static ByteBuffer constant(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }
}
