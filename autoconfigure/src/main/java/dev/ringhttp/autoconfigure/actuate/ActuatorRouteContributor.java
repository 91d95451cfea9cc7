package dev.ringhttp.autoconfigure.actuate;

import dev.ringhttp.autoconfigure.route.RouteContributor;
import dev.ringhttp.autoconfigure.security.RequestValues;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerContext;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.ProducibleOperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.EndpointLinksResolver;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.Link;
import org.springframework.boot.actuate.endpoint.web.WebEndpointHttpMethod;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.WebOperationRequestPredicate;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.core.io.Resource;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MimeType;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves actuator web endpoints on the ringhttp server, under the management
 * base path ({@code /actuator} by default), the way Boot's servlet and
 * reactive adapters do: every exposed {@link WebOperation}'s path, method and
 * produced media types; path variables, query parameters and (for POST) the
 * fields of a JSON body as operation arguments; {@code Accept} negotiation,
 * also for producible arguments (health's API version, Prometheus' format);
 * a {@link WebEndpointResponse}'s status and content type; a {@code null}
 * result as 404 for reads and 204 otherwise; and the {@code _links} page at
 * the base path.
 *
 * <p>Matching runs on the event loop and checks the base path in place
 * first, so requests for application routes pass through without
 * allocating. Operations may block (health checks, scrapes), so they run on
 * a small bounded pool of {@value #THREADS} threads with a queue of
 * {@value #QUEUE_CAPACITY}; the response is deferred and completed on the
 * loop. When the queue is full the request is answered 503.
 *
 * <p>Bodies are staged into the server's outgoing ring: a body larger than
 * the ring (a very large scrape or a heap dump) cannot be sent and becomes
 * a 500. Access is decided before this contributor is asked, by the
 * application's {@code RingHttpFilter}s and, with a management port, by which
 * listener the request came through; operations see
 * {@link SecurityContext#NONE}.
 */
public final class ActuatorRouteContributor implements RouteContributor, SmartInitializingSingleton, DisposableBean {

    /** Threads that run actuator operations. */
    static final int THREADS = 2;

    /** Operations waiting for a thread before requests are refused with 503. */
    static final int QUEUE_CAPACITY = 64;

    private static final Log LOG = LogFactory.getLog(ActuatorRouteContributor.class);
    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    private static final List<MediaType> LINKS_MEDIA_TYPES = EndpointMediaTypes.DEFAULT.getProduced().stream()
            .map(MediaType::parseMediaType).toList();

    private final String basePath;
    private final String basePathSlash;
    private final boolean linksEnabled;
    private final Supplier<Collection<ExposableWebEndpoint>> endpoints;
    private final ServerContext context;
    private final JsonMapper endpointJsonMapper;
    private final JsonMapper jsonMapper;
    private final ThreadPoolExecutor executor;
    private volatile @Nullable Routes routes;

    /**
     * @param basePath           the management base path, without a trailing slash ({@code ""} for the root)
     * @param linksEnabled       whether the base path answers with links to the endpoints
     * @param endpoints          the exposed web endpoints, asked once every singleton exists
     * @param context            the context of the server that completes deferred responses
     * @param endpointJsonMapper writes {@link OperationResponseBody} results (Boot's isolated actuator mapper)
     * @param jsonMapper         writes other results and reads request bodies
     */
    public ActuatorRouteContributor(String basePath, boolean linksEnabled,
            Supplier<Collection<ExposableWebEndpoint>> endpoints, ServerContext context,
            JsonMapper endpointJsonMapper, JsonMapper jsonMapper) {
        this.basePath = basePath;
        this.basePathSlash = basePath + "/";
        this.linksEnabled = linksEnabled && !basePath.isEmpty();
        this.endpoints = endpoints;
        this.context = context;
        this.endpointJsonMapper = endpointJsonMapper;
        this.jsonMapper = jsonMapper;
        CustomizableThreadFactory threads = new CustomizableThreadFactory("ringhttp-actuator-");
        threads.setDaemon(true);
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), threads);
        this.executor.allowCoreThreadTimeOut(true);
    }

    /** Resolves the endpoints and the server once every singleton exists, before the server starts. */
    @Override
    public void afterSingletonsInstantiated() {
        Collection<ExposableWebEndpoint> exposed = endpoints.get();
        PathPatternParser parser = new PathPatternParser();
        List<OperationRoute> list = new ArrayList<>();
        for (ExposableWebEndpoint endpoint : exposed) {
            for (WebOperation operation : endpoint.getOperations()) {
                WebOperationRequestPredicate predicate = operation.getRequestPredicate();
                PathPattern pattern = parser.parse(basePath + "/" + predicate.getPath());
                List<MediaType> produces = predicate.getProduces().stream().map(MediaType::parseMediaType).toList();
                list.add(new OperationRoute(pattern, predicate.getHttpMethod(), operation, produces,
                        predicate.getMatchAllRemainingPathSegmentsVariable()));
            }
        }
        // Like Spring MVC: /actuator/health wins over /actuator/health/{*path} for the same request.
        list.sort(Comparator.comparing(OperationRoute::pattern, PathPattern.SPECIFICITY_COMPARATOR));
        EndpointLinksResolver links = linksEnabled ? new EndpointLinksResolver(exposed, basePath) : null;
        this.routes = new Routes(List.copyOf(list), links, context.server());
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }

    /** The actuator: on the management listener when {@code management.server.port} sets one apart. */
    @Override
    public boolean management() {
        return true;
    }

    @Override
    public boolean handle(HttpRequest request, HttpResponse response) {
        Routes table = routes;
        if (table == null || !request.pathStartsWith(basePath)
                || !(basePath.isEmpty() || request.pathEquals(basePath) || request.pathStartsWith(basePathSlash))) {
            return false;
        }
        HttpMethod method = request.method();
        String path = request.path();
        if (table.links() != null && (path.equals(basePath) || path.equals(basePathSlash))) {
            answerLinks(table, request, response, method);
            return true;
        }
        PathContainer container = PathContainer.parsePath(path);
        Set<WebEndpointHttpMethod> allowed = EnumSet.noneOf(WebEndpointHttpMethod.class);
        for (OperationRoute route : table.operations()) {
            PathPattern.PathMatchInfo match = route.pattern().matchAndExtract(container);
            if (match == null) {
                continue;
            }
            if (route.accepts(method)) {
                dispatch(table.server(), route, match, request, response);
                return true;
            }
            allowed.add(route.method());
        }
        if (!allowed.isEmpty()) {
            String allow = allowed.stream().map(Enum::name).collect(Collectors.joining(", "));
            response.header("Allow", allow);
            if (method == HttpMethod.OPTIONS) {
                response.status(204);
            } else {
                text(response, 405, "Method Not Allowed");
            }
            return true;
        }
        if (basePath.isEmpty()) {
            return false; // Mapped at the root: paths that no endpoint answers belong to the application.
        }
        text(response, 404, "Not Found");
        return true;
    }

    private void answerLinks(Routes table, HttpRequest request, HttpResponse response, HttpMethod method) {
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            response.header("Allow", "GET");
            text(response, 405, "Method Not Allowed");
            return;
        }
        MediaType produced = negotiate(acceptHeaders(request), LINKS_MEDIA_TYPES);
        if (produced == null) {
            text(response, 406, "Not Acceptable");
            return;
        }
        Map<String, Link> resolved = table.links().resolveLinks(requestUrl(request, table.server()));
        byte[] json = endpointJsonMapper.writeValueAsBytes(OperationResponseBody.of(Map.of("_links", resolved)));
        response.status(200).contentType(produced.toString()).body(json);
    }

    private void dispatch(RingHttpServer loop, OperationRoute route, PathPattern.PathMatchInfo match,
            HttpRequest request, HttpResponse response) {
        List<String> accept = acceptHeaders(request);
        MediaType produced = negotiate(accept, route.produces());
        if (produced == null) {
            text(response, 406, "Not Acceptable");
            return;
        }
        // The request is a view over the connection's buffer, valid only during this call: copy what the
        // operation needs before leaving the loop.
        byte[] body = null;
        if (request.method() == HttpMethod.POST && request.contentLength() > 0) {
            ByteBuffer source = request.body();
            body = new byte[source.remaining()];
            source.get(body);
        }
        Call call = new Call(route, match.getUriVariables(), request.query(), body, accept, produced,
                request.method() == HttpMethod.HEAD ? WebEndpointHttpMethod.GET : route.method());
        long token = response.defer();
        try {
            executor.execute(() -> complete(loop, token, invoke(call)));
        } catch (RejectedExecutionException ex) {
            complete(loop, token, Result.text(503, "Too many actuator requests in progress"));
        }
    }

    private Result invoke(Call call) {
        try {
            Map<String, Object> arguments = arguments(call);
            InvocationContext context = new InvocationContext(SecurityContext.NONE, arguments,
                    new ProducibleOperationArgumentResolver(call::accept),
                    OperationArgumentResolver.of(WebServerNamespace.class, () -> WebServerNamespace.SERVER));
            return toResult(call.route().operation().invoke(context), call);
        } catch (InvalidEndpointRequestException ex) {
            return Result.text(400, ex.getReason());
        } catch (BadRequest ex) {
            return Result.text(400, ex.getMessage());
        } catch (Throwable ex) {
            LOG.error("Actuator operation " + call.route().operation() + " failed", ex);
            return Result.text(500, "Internal Server Error");
        }
    }

    private Map<String, Object> arguments(Call call) {
        Map<String, Object> arguments = new LinkedHashMap<>(call.pathVariables());
        String remaining = call.route().matchAllRemainingPathSegmentsVariable();
        if (remaining != null) {
            Object value = arguments.get(remaining);
            arguments.put(remaining, StringUtils.tokenizeToStringArray(value == null ? "" : value.toString(), "/"));
        }
        if (call.body() != null) {
            try {
                Map<?, ?> fields = jsonMapper.readValue(call.body(), Map.class);
                fields.forEach((name, value) -> arguments.put(String.valueOf(name), value));
            } catch (JacksonException ex) {
                throw new BadRequest("Request body is not a JSON object: " + ex.getOriginalMessage());
            }
        }
        arguments.putAll(queryParameters(call.query()));
        return arguments;
    }

    private Result toResult(@Nullable Object value, Call call) throws Exception {
        if (value == null) {
            return new Result(call.method() == WebEndpointHttpMethod.GET ? 404 : 204, null, null);
        }
        int status = 200;
        MimeType contentType = null;
        Object body = value;
        if (value instanceof WebEndpointResponse<?> response) {
            status = response.getStatus();
            contentType = response.getContentType();
            body = response.getBody();
        }
        if (body == null) {
            return new Result(status, null, null);
        }
        String type = (contentType != null ? contentType : call.produced()).toString();
        if (body instanceof byte[] bytes) {
            return new Result(status, type, bytes);
        }
        if (body instanceof CharSequence text) {
            return new Result(status, type, text.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (body instanceof Resource resource) {
            try (InputStream in = resource.getInputStream()) {
                return new Result(status, contentType != null ? type : "application/octet-stream", in.readAllBytes());
            }
        }
        JsonMapper mapper = body instanceof OperationResponseBody ? endpointJsonMapper : jsonMapper;
        return new Result(status, type, mapper.writeValueAsBytes(body));
    }

    private static void complete(RingHttpServer loop, long token, Result result) {
        loop.execute(RingHttpServer.loopOf(token), () -> {
            HttpResponse later = loop.deferredResponse(token);
            if (later == null) {
                return; // The client left, or was evicted, while the operation ran.
            }
            later.status(result.status());
            if (result.contentType() != null) {
                later.contentType(result.contentType());
            }
            if (result.body() != null && result.status() != 204 && result.status() != 304) {
                later.body(result.body());
            }
            later.complete();
        });
    }

    /** Picks the first produced type acceptable to the client, clients' preferences by quality first. */
    static @Nullable MediaType negotiate(List<String> acceptHeaders, List<MediaType> produces) {
        if (produces.isEmpty()) {
            return MediaType.APPLICATION_JSON;
        }
        List<MediaType> accepted;
        try {
            accepted = new ArrayList<>(MediaType.parseMediaTypes(acceptHeaders));
        } catch (InvalidMediaTypeException ex) {
            accepted = List.of(MediaType.ALL);
        }
        if (accepted.isEmpty()) {
            return produces.get(0);
        }
        accepted.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType candidate : accepted) {
            if (candidate.getQualityValue() <= 0) {
                break;
            }
            for (MediaType type : produces) {
                if (candidate.includes(type)) {
                    return type;
                }
            }
        }
        return null;
    }

    /** The query's parameters as operation arguments: one value as itself, several as a list. */
    static Map<String, Object> queryParameters(@Nullable String query) {
        MultiValueMap<String, String> values = new LinkedMultiValueMap<>();
        try {
            RequestValues.parameters(query, values);
        } catch (IllegalArgumentException ex) {
            throw new BadRequest("Malformed query parameter");
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        values.forEach((name, list) -> arguments.put(name, list.size() == 1 ? list.get(0) : list));
        return arguments;
    }

    private static List<String> acceptHeaders(HttpRequest request) {
        List<String> values = new ArrayList<>(1);
        for (int i = 0; i < request.headerCount(); i++) {
            if ("Accept".equalsIgnoreCase(request.headerName(i))) {
                values.add(request.headerValue(i));
            }
        }
        return values;
    }

    private static String requestUrl(HttpRequest request, RingHttpServer server) {
        String host = request.header("Host");
        if (host == null) {
            InetSocketAddress address = server.address();
            host = address == null ? "localhost" : address.getHostString() + ":" + address.getPort();
        }
        return "http://" + host + request.path();
    }

    private static void text(HttpResponse response, int status, String message) {
        response.status(status).contentType(TEXT_PLAIN).body(message + "\n");
    }

    /** The routes resolved at start-up, with the server that completes their responses. */
    private record Routes(List<OperationRoute> operations, @Nullable EndpointLinksResolver links,
            RingHttpServer server) {
    }

    /** One web operation under the base path. */
    private record OperationRoute(PathPattern pattern, WebEndpointHttpMethod method, WebOperation operation,
            List<MediaType> produces, @Nullable String matchAllRemainingPathSegmentsVariable) {

        boolean accepts(HttpMethod requested) {
            return switch (method) {
                case GET -> requested == HttpMethod.GET || requested == HttpMethod.HEAD;
                case POST -> requested == HttpMethod.POST;
                case DELETE -> requested == HttpMethod.DELETE;
            };
        }
    }

    /** What an operation needs from its request, copied off the event loop's buffers. */
    private record Call(OperationRoute route, Map<String, String> pathVariables, @Nullable String query,
            byte @Nullable [] body, List<String> accept, MediaType produced, WebEndpointHttpMethod method) {
    }

    private record Result(int status, @Nullable String contentType, byte @Nullable [] body) {

        static Result text(int status, String message) {
            return new Result(status, TEXT_PLAIN, (message + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final class BadRequest extends RuntimeException {

        BadRequest(String message) {
            super(message);
        }
    }
}
