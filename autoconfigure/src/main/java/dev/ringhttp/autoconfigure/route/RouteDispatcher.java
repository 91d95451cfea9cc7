package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.autoconfigure.security.RingHttpFilterChain;
import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerContext;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.ErrorResponse;

/**
 * The ringhttp {@link HttpHandler} of a Spring application: the filter chain
 * ({@link dev.ringhttp.autoconfigure.security.RingHttpFilter} beans) sees every
 * request first and may answer it; then WebSocket upgrades go to the
 * {@code @WsHandler} paths (which check the origin and may refuse),
 * contributed routes (actuator) come next, then the {@code @HttpRoute} table;
 * no path gives 404, a path without the method 405 with {@code Allow}, OPTIONS
 * is answered from the routes, HEAD from GET.
 *
 * <p>Management port: when the server has a second listener for management
 * ({@code management.server.port}), requests through it reach the contributed
 * routes only (anything else is 404 there), and requests through the main
 * listener never reach them.
 *
 * <p>Errors are answered as RFC 9457 problem details
 * ({@code application/problem+json}): an {@link ErrorResponse} (such as
 * {@code ResponseStatusException}) with its own, an exception annotated with
 * {@link ResponseStatus} with its status and reason; bad arguments with 400;
 * anything else with 500 and no detail, logged once and counted.
 *
 * <p>Observation: a {@link RouteObserver} is told about every answer; a
 * {@link RequestObserver} may observe each routed request and each WebSocket
 * upgrade from before its handler runs until its answer (for a deferred
 * answer, until the response completes), with the observation's scope open
 * while the handler runs on the loop. Requests answered by a
 * {@link RouteContributor} (actuator) are not observed this way.
 *
 * <p>Runs on the event loop. For a literal route whose method allocates
 * nothing and returns a static or ring-staged body, dispatch allocates
 * nothing either: no locks, no parsing of the path, a reused argument array.
 * That holds as long as the request observer returns null and no filter is
 * defined.
 */
public final class RouteDispatcher implements HttpHandler {

    static final String NOT_FOUND = "NOT_FOUND";
    static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    static final String OPTIONS = "OPTIONS";
    static final String UPGRADE = "UPGRADE";
    /** The route tag of a request a filter answered. */
    static final String FILTERED = "FILTERED";
    /** What a failing filter is reported as to {@link RouteObserver#handlerFailed}. */
    public static final String FILTER_ROUTE = "FILTER";

    /** What {@link #dispatch} returns when the answer comes later: not a status. */
    private static final int DEFERRED = -1;

    private static final Log LOG = LogFactory.getLog(RouteDispatcher.class);
    private static final ByteBuffer NOT_FOUND_BODY = ProblemWriter.constant(404);
    private static final ByteBuffer METHOD_NOT_ALLOWED_BODY = ProblemWriter.constant(405);
    private static final ByteBuffer SERVER_ERROR_BODY = ProblemWriter.constant(500);
    private static final ByteBuffer FORBIDDEN_BODY = ProblemWriter.constant(403);
    private static final ByteBuffer BUSY_BODY = ProblemWriter.constant(503);
    /** Seconds a client refused for a full executor of blocking routes is asked to wait. */
    private static final String BUSY_RETRY_AFTER = "1";

    private final ReturnValueWriter writer;
    private final ProblemWriter problems;
    private final List<RouteContributor> contributors;
    private final RouteObserver observer;
    private final RequestObserver requests;
    private final UpgradeResolver upgrades;
    private final ServerContext context;
    private final RingHttpFilterChain filters;
    private final boolean separateManagementPort;
    /** One per loop thread: the dispatcher serves every loop of a server with several at once. */
    private final ThreadLocal<Invocation> invocations = ThreadLocal.withInitial(Invocation::new);
    private volatile RouteTable routes = new RouteTable(List.of());

    /** Decides whether an upgrade request's path has a WebSocket handler: its channel, or -1. */
    @FunctionalInterface
    public interface UpgradeResolver {
        int channelFor(HttpRequest request);

        /**
         * Decides an upgrade the filters let through, with what they attached: returns the channel
         * to upgrade to, or -1 once it has answered {@code response} itself (404 where no handler
         * has the path, or a refusal). By default, the channel {@link #channelFor} finds.
         */
        default int accept(HttpRequest request, HttpResponse response, @Nullable Principal principal,
                Map<String, Object> attributes) {
            int channel = channelFor(request);
            if (channel < 0) {
                response.status(404).contentType(ProblemWriter.PROBLEM_JSON).body(NOT_FOUND_BODY);
            }
            return channel;
        }

        /**
         * The pattern of the handler that {@link #channelFor} found, for observations; null if unknown.
         * Only asked while a request is observed, so it may allocate.
         */
        default @Nullable String patternFor(HttpRequest request) {
            return null;
        }
    }

    /**
     * @param converters             spring-web's message converters, which write return values and problems
     * @param context                the context of the server this dispatcher answers for, which completes
     *                               asynchronous answers and stages bodies: the dispatcher is its HTTP
     *                               handler, so the server is built after it
     * @param requests               observes routed requests and upgrades as they run (a Micrometer
     *                               {@code Observation})
     * @param filters                the filter chain every request passes first
     * @param separateManagementPort whether the server has a management listener: then the
     *                               contributors answer there only, and nothing else does
     */
    public RouteDispatcher(RouteConverters converters, List<RouteContributor> contributors, RouteObserver observer,
            RequestObserver requests, UpgradeResolver upgrades, ServerContext context, RingHttpFilterChain filters,
            boolean separateManagementPort) {
        this.filters = filters;
        this.separateManagementPort = separateManagementPort;
        this.problems = new ProblemWriter(converters, context);
        this.writer = new ReturnValueWriter(converters, problems, context);
        this.contributors = List.copyOf(contributors);
        this.observer = observer;
        this.requests = requests;
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
        if (!filters.isEmpty() && !filters.run(request, response)) {
            answeredByFilter(request, response, method, start);
            return;
        }
        if (separateManagementPort && request.viaManagementPort()) {
            answerManagement(request, response, method, start);
            return;
        }
        if (request.isWebSocketUpgrade()) {
            answerUpgrade(request, response, method, start);
            return;
        }
        if (answeredByContributor(request, response, false)) {
            return;
        }
        ObservedRequest observed = requests.begin(request);
        RouteTable.Match match = routes.find(request, method);
        Route route = match.route();
        if (route == null) {
            int status = answerUnrouted(request, response, match, method, start);
            stop(observed, status);
            return;
        }
        int status;
        if (observed == null) {
            status = dispatch(route, match, request, response, method, start, null);
        } else {
            observed.route(route.patternString());
            status = dispatchInScope(route, match, request, response, method, start, observed);
        }
        if (status != DEFERRED) {
            observer.answered(method, route.patternString(), status, System.nanoTime() - start);
            stop(observed, status);
        }
    }

    /**
     * Asks the contributors of one side: with a separate management port, the management ones
     * (the actuator) on its listener and the others (static files) on the main one; else all.
     */
    private boolean answeredByContributor(HttpRequest request, HttpResponse response, boolean managementListener) {
        for (int i = 0; i < contributors.size(); i++) {
            RouteContributor c = contributors.get(i);
            if ((!separateManagementPort || c.management() == managementListener) && c.handle(request, response)) {
                return true;
            }
        }
        return false;
    }

    /** On the management listener only the management contributors (the actuator) answer; the rest is 404. */
    private void answerManagement(HttpRequest request, HttpResponse response, HttpMethod method, long start) {
        if (!request.isWebSocketUpgrade() && answeredByContributor(request, response, true)) {
            return;
        }
        response.status(404).contentType(ProblemWriter.PROBLEM_JSON).body(NOT_FOUND_BODY);
        observer.answered(method, NOT_FOUND, 404, System.nanoTime() - start);
    }

    /**
     * Counts and observes a request a filter answered (or failed on). Its observation, if any,
     * has no route pattern, like a request Spring Security refuses before Spring MVC routes it.
     */
    private void answeredByFilter(HttpRequest request, HttpResponse response, HttpMethod method, long start) {
        int status = response.status();
        observer.answered(method, FILTERED, status, System.nanoTime() - start);
        stop(requests.begin(request), status);
    }

    /**
     * {@link #dispatch} with the observation current, so that what the handler logs carries its trace ids.
     * If dispatch itself fails (an {@code Error} the server turns into a closed connection), the observation
     * is stopped here with that error rather than left open.
     */
    private int dispatchInScope(Route route, RouteTable.Match match, HttpRequest request, HttpResponse response,
            HttpMethod method, long start, ObservedRequest observed) {
        Throwable escaped = null;
        observed.openScope();
        try {
            return dispatch(route, match, request, response, method, start, observed);
        } catch (RuntimeException | Error e) {
            escaped = e;
            throw e;
        } finally {
            observed.closeScope();
            if (escaped != null) {
                observed.error(escaped);
                observed.stop(500);
            }
        }
    }

    /** Runs the route's handler; returns the status sent, or {@link #DEFERRED} for an answer that comes later. */
    private int dispatch(Route route, RouteTable.Match match, HttpRequest request, HttpResponse response,
            HttpMethod method, long start, @Nullable ObservedRequest observed) {
        CorsConfiguration cors = route.cors();
        if (cors != null && !CorsProcessing.actual(cors, request, response)) {
            return 403;
        }
        Invocation invocation = invocations.get();
        invocation.reset(request, response, match.variables(), filters.principal(), filters.attributes());
        Negotiation negotiation;
        try {
            MediaType produced = route.negotiate(request);
            // Read only when there is one: an absent header costs nothing.
            negotiation = Negotiation.of(produced, produced == null ? request.header("Accept") : null);
        } catch (Throwable t) {
            return fail(t, route, response, observed);
        }
        BlockingExecutor blocking = route.blocking();
        if (blocking != null) {
            return dispatchBlocking(route, blocking, invocation, response, method, start, observed, negotiation);
        }
        Object result;
        try {
            result = route.invoker().invoke(invocation);
        } catch (Throwable t) {
            return fail(t, route, response, observed);
        }
        if (result instanceof CompletionStage<?> stage) {
            answerLater(stage, route, method, start, response, observed, negotiation);
            return DEFERRED;
        }
        return write(result, route, response, observed, negotiation);
    }

    /**
     * Reads the arguments on the loop (copies: a blocking route takes no view of the connection's
     * buffers), runs the method on the executor of blocking routes and answers when it returns,
     * as for a returned future. A full executor is answered 503 at once, never queued.
     */
    private int dispatchBlocking(Route route, BlockingExecutor blocking, Invocation invocation, HttpResponse response,
            HttpMethod method, long start, @Nullable ObservedRequest observed, Negotiation negotiation) {
        HandlerInvoker invoker = route.invoker();
        @Nullable Object[] arguments;
        try {
            arguments = invoker.resolveDetached(invocation);
        } catch (Throwable t) {
            return fail(t, route, response, observed);
        }
        CompletableFuture<@Nullable Object> answer = new CompletableFuture<>();
        if (!blocking.submit(() -> callBlocking(invoker, arguments, observed, answer))) {
            response.status(503).header("Retry-After", BUSY_RETRY_AFTER).contentType(ProblemWriter.PROBLEM_JSON)
                    .body(BUSY_BODY);
            return 503;
        }
        answerLater(answer, route, method, start, response, observed, negotiation);
        return DEFERRED;
    }

    /** On the executor's thread: the observation is current there while the method runs. */
    private static void callBlocking(HandlerInvoker invoker, @Nullable Object[] arguments,
            @Nullable ObservedRequest observed, CompletableFuture<@Nullable Object> answer) {
        if (observed != null) {
            observed.openScope();
        }
        try {
            Object result = invoker.invokeDetached(arguments);
            if (result instanceof CompletionStage<?> stage) {
                stage.whenComplete((value, error) -> {
                    if (error != null) {
                        answer.completeExceptionally(error);
                    } else {
                        answer.complete(value);
                    }
                });
            } else {
                answer.complete(result);
            }
        } catch (Throwable t) {
            answer.completeExceptionally(t);
        } finally {
            if (observed != null) {
                observed.closeScope();
            }
        }
    }

    private void answerUpgrade(HttpRequest request, HttpResponse response, HttpMethod method, long start) {
        ObservedRequest observed = requests.begin(request);
        int channel = upgrades.accept(request, response, filters.principal(), filters.attributes());
        if (channel >= 0) {
            if (observed != null) {
                String pattern = upgrades.patternFor(request);
                if (pattern != null) {
                    observed.route(pattern);
                }
            }
            response.upgradeToWebSocket(channel);
            observer.answered(method, UPGRADE, 101, System.nanoTime() - start);
            stop(observed, 101);
        } else {
            int status = response.status();
            observer.answered(method, status == 404 ? NOT_FOUND : UPGRADE, status, System.nanoTime() - start);
            stop(observed, status);
        }
    }

    private static void stop(@Nullable ObservedRequest observed, int status) {
        if (observed != null) {
            observed.stop(status);
        }
    }

    /** Answers a request no route takes (404, 405, or an OPTIONS answered from the routes); returns the status. */
    private int answerUnrouted(HttpRequest request, HttpResponse response, RouteTable.Match match,
            HttpMethod method, long start) {
        if (!match.pathMatched()) {
            response.status(404).contentType(ProblemWriter.PROBLEM_JSON).body(NOT_FOUND_BODY);
            observer.answered(method, NOT_FOUND, 404, System.nanoTime() - start);
            return 404;
        }
        String allow = RouteTable.allowHeader(match.allowed());
        response.header("Allow", allow);
        if (method == HttpMethod.OPTIONS) {
            if (CorsProcessing.isPreflight(request)) {
                int status = answerPreflight(request, response);
                observer.answered(method, OPTIONS, status, System.nanoTime() - start);
                return status;
            }
            response.status(204);
            observer.answered(method, OPTIONS, 204, System.nanoTime() - start);
            return 204;
        }
        response.status(405).contentType(ProblemWriter.PROBLEM_JSON).body(METHOD_NOT_ALLOWED_BODY);
        observer.answered(method, METHOD_NOT_ALLOWED, 405, System.nanoTime() - start);
        return 405;
    }

    /**
     * A preflight is answered for the route that would take the method it asks for: by that
     * route's CORS configuration, or, without one, as a plain OPTIONS (no CORS header, so the
     * browser refuses). A method no route here takes is refused.
     */
    private int answerPreflight(HttpRequest request, HttpResponse response) {
        HttpMethod requested = methodNamed(request.header("Access-Control-Request-Method"));
        Route route = requested == null ? null : routes.find(request, requested).route();
        if (route == null) {
            response.status(403).contentType(ProblemWriter.PROBLEM_JSON).body(FORBIDDEN_BODY);
            return 403;
        }
        CorsConfiguration cors = route.cors();
        if (cors == null) {
            response.status(204);
            return 204;
        }
        return CorsProcessing.preflight(cors, request, response);
    }

    private static @Nullable HttpMethod methodNamed(@Nullable String name) {
        for (HttpMethod m : HttpMethod.values()) {
            if (name != null && m.name().equals(name.trim())) {
                return m;
            }
        }
        return null;
    }

    private int write(@Nullable Object result, Route route, HttpResponse response,
            @Nullable ObservedRequest observed, Negotiation negotiation) {
        HandlerInvoker invoker = route.invoker();
        if (invoker.writesOwnResponse()) {
            return response.status();
        }
        try {
            return writer.write(result, response, invoker.returnsVoid(), negotiation);
        } catch (Throwable t) {
            return fail(t, route, response, observed);
        }
    }

    /** The observation, if any, stops when the deferred response completes, on the loop. */
    private void answerLater(CompletionStage<?> stage, Route route, HttpMethod method, long start,
            HttpResponse response, @Nullable ObservedRequest observed, Negotiation negotiation) {
        RingHttpServer loop = context.server();
        long token = response.defer();
        stage.whenComplete((value, error) -> loop.execute(RingHttpServer.loopOf(token), () -> {
            HttpResponse later = loop.deferredResponse(token);
            if (later == null) {
                // The client left, or was evicted, while the answer was computed: no status was sent.
                if (observed != null) {
                    if (error != null) {
                        observed.error(unwrap(error));
                    }
                    observed.stop(0);
                }
                return;
            }
            int status;
            if (observed == null) {
                status = completeLater(value, error, route, later, null, negotiation);
            } else {
                observed.openScope();
                try {
                    status = completeLater(value, error, route, later, observed, negotiation);
                } finally {
                    observed.closeScope();
                }
            }
            observer.answered(method, route.patternString(), status, System.nanoTime() - start);
            stop(observed, status);
        }));
    }

    private int completeLater(@Nullable Object value, @Nullable Throwable error, Route route, HttpResponse later,
            @Nullable ObservedRequest observed, Negotiation negotiation) {
        int status = error != null ? fail(unwrap(error), route, later, observed)
                : write(value, route, later, observed, negotiation);
        later.complete();
        return status;
    }

    /** Answers an exception from a route; returns the status sent. */
    private int fail(Throwable t, Route route, HttpResponse response, @Nullable ObservedRequest observed) {
        if (observed != null) {
            // As in Spring MVC, the exception is recorded whether or not it maps to a status.
            observed.error(t);
        }
        ExceptionHandlers.Handler handler = route.invoker().exceptionHandlers().find(t);
        if (handler != null) {
            return answerByHandler(handler, route, response);
        }
        return answerByDefault(t, route, response);
    }

    /** What an {@code @ExceptionHandler} method returns is the answer; if it throws, 500. */
    private int answerByHandler(ExceptionHandlers.Handler handler, Route route, HttpResponse response) {
        try {
            Object result = handler.invoke();
            int status = writer.write(result, response, handler.returnsVoid(), Negotiation.NONE);
            int declared = handler.declaredStatus();
            if (declared != 0 && !(result instanceof ResponseEntity<?>) && !(result instanceof ProblemDetail)
                    && !(result instanceof ErrorResponse)) {
                response.status(declared);
                return declared;
            }
            return status;
        } catch (Throwable failure) {
            LOG.error("@ExceptionHandler " + handler.description() + " failed answering "
                    + handler.exception().getClass().getName() + " from " + route.patternString(), failure);
            observer.handlerFailed(route.patternString(), failure);
            response.status(500).contentType(ProblemWriter.PROBLEM_JSON).body(SERVER_ERROR_BODY);
            return 500;
        }
    }

    /** The answers Spring gives without a handler: problem details, 500 for the unknown. */
    private int answerByDefault(Throwable t, Route route, HttpResponse response) {
        if (t instanceof BadRequestException) {
            // Its messages are the server's own, about the request: they say what to fix.
            return answerError(response, ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, t.getMessage()));
        }
        if (t instanceof ErrorResponse error) {
            // ResponseStatusException among them: its reason is the detail, as Spring answers it.
            ResponseHeaders.copy(error.getHeaders(), response);
            return answerError(response, error.getBody());
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(t.getClass(), ResponseStatus.class);
        if (annotated != null) {
            // The reason the annotation gives, never the exception's message, which is internal.
            ProblemDetail problem = ProblemDetail.forStatus(annotated.code());
            if (!annotated.reason().isEmpty()) {
                problem.setDetail(annotated.reason());
            }
            return answerError(response, problem);
        }
        LOG.error("@HttpRoute " + route.invoker().description() + " failed for " + route.patternString(), t);
        observer.handlerFailed(route.patternString(), t);
        response.status(500).contentType(ProblemWriter.PROBLEM_JSON).body(SERVER_ERROR_BODY);
        return 500;
    }

    private int answerError(HttpResponse response, ProblemDetail problem) {
        try {
            return problems.write(response, problem);
        } catch (Exception e) {
            LOG.debug("writing a problem detail failed; answering with its status alone", e);
            response.status(problem.getStatus()).contentType(ProblemWriter.PROBLEM_JSON)
                    .body(ProblemWriter.constant(problem.getStatus()));
            return problem.getStatus();
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
