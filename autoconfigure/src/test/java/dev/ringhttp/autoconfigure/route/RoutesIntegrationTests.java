package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.client.RestClient;
import org.springframework.web.server.ResponseStatusException;

/** Routes with every argument and return kind, over real sockets. */
@SpringBootTest(classes = RoutesIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=32",
                "ringhttp.server.max-websocket-connections=8", "ringhttp.server.outgoing-buffer-size=1MB",
                "ringhttp.server.cors.allowed-origins=https://app.example"})
class RoutesIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    RouteDispatcher dispatcher;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Greeting(String name, int count) {
    }

    @ResponseStatus(code = HttpStatus.CONFLICT, reason = "already there")
    static class AlreadyThere extends RuntimeException {
    }

    static class Routes {
        @HttpRoute("/hello")
        String hello() {
            return "Hello, World!";
        }

        @HttpRoute("/users/{id}")
        String user(@PathVariable long id, @RequestParam(defaultValue = "plain") String format,
                @RequestHeader(name = "X-Trace", required = false) String trace) {
            return "user " + id + " as " + format + (trace == null ? "" : " traced " + trace);
        }

        @HttpRoute("/users/new")
        String newUser() {
            return "the form";
        }

        @HttpRoute("/static/**")
        String files(HttpRequest request) {
            return "file " + request.path();
        }

        @HttpRoute("/optional")
        String optional(@RequestParam Optional<Integer> page, int size) {
            return page.map(p -> "page " + p).orElse("no page") + " size " + size;
        }

        @HttpRoute(path = "/echo/string", method = HttpMethod.POST)
        String echoString(@RequestBody String body) {
            return body;
        }

        @HttpRoute(path = "/echo/coded", method = HttpMethod.POST)
        String echoCoded(@RequestHeader(name = "Transfer-Encoding", required = false) String coding,
                @RequestBody Greeting greeting) {
            return coding + ": " + greeting.name() + " x" + greeting.count();
        }

        @HttpRoute(path = "/echo/bytes", method = {HttpMethod.POST, HttpMethod.PUT})
        byte[] echoBytes(@RequestBody byte[] body) {
            return body;
        }

        @HttpRoute(path = "/echo/buffer", method = HttpMethod.POST)
        ResponseEntity<byte[]> echoBuffer(@RequestBody ByteBuffer body) {
            byte[] copy = new byte[body.remaining()];
            body.get(copy);
            return ResponseEntity.ok().header("Content-Type", "application/x-copy").body(copy);
        }

        @HttpRoute(path = "/upload/greetings", method = HttpMethod.POST)
        String countGreetings(@RequestHeader(name = "Transfer-Encoding", required = false) String coding,
                @RequestBody List<Greeting> greetings) {
            return coding + ": " + greetings.size() + " greetings, last " + greetings.get(greetings.size() - 1).name();
        }

        @HttpRoute(path = "/greetings", method = HttpMethod.POST)
        Greeting greet(@RequestBody Greeting greeting) {
            return new Greeting(greeting.name().toUpperCase(), greeting.count() + 1);
        }

        @HttpRoute("/json")
        List<Greeting> json() {
            return List.of(new Greeting("a", 1), new Greeting("b", 2));
        }

        @HttpRoute(path = "/things/{id}", method = HttpMethod.DELETE)
        void delete(@PathVariable String id) {
        }

        @HttpRoute("/created")
        ResponseEntity<String> created() {
            return ResponseEntity.status(201).header("Location", "/things/7").header("X-Extra", "yes").body("made");
        }

        @HttpRoute("/raw")
        void raw(HttpResponse response) {
            response.status(202).contentType("text/x-raw").body("raw body");
        }

        @HttpRoute("/later")
        CompletableFuture<Greeting> later() {
            return CompletableFuture.supplyAsync(() -> new Greeting("later", 3),
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
        }

        @HttpRoute("/later/fail")
        CompletableFuture<String> laterFail() {
            return CompletableFuture.failedFuture(new ResponseStatusException(HttpStatus.GONE, "went away"));
        }

        @HttpRoute("/boom")
        String boom() {
            throw new IllegalStateException("boom");
        }

        @HttpRoute("/teapot")
        String teapot() {
            throw new ResponseStatusException(HttpStatus.I_AM_A_TEAPOT, "short and stout");
        }

        @HttpRoute("/conflict")
        String conflict() {
            throw new AlreadyThere();
        }

        @HttpRoute("/problem")
        ProblemDetail problem() {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, "too few items");
            problem.setType(URI.create("https://example.com/problems/few"));
            problem.setProperty("minimum", 3);
            return problem;
        }

        @HttpRoute("/problem/entity")
        ResponseEntity<ProblemDetail> problemEntity() {
            return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED).header("X-Hint", "pay")
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.PAYMENT_REQUIRED, "pay first"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes() {
            return new Routes();
        }
    }

    private java.net.http.HttpResponse<String> get(String path) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(uri(path)).build(), BodyHandlers.ofString());
    }

    private java.net.http.HttpResponse<String> send(String method, String path, String body, String type) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return client.send(b.build(), BodyHandlers.ofString());
    }

    @Test
    void springsRestClientPostsJsonChunkedAndTheRouteReadsIt() {
        // Spring's RestClient streams the body it writes: JSON goes out with Transfer-Encoding: chunked.
        String answer = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl("http://127.0.0.1:" + port).build()
                .post().uri("/echo/coded").contentType(MediaType.APPLICATION_JSON).body(new Greeting("ring", 3))
                .retrieve().body(String.class);
        assertThat(answer).isEqualTo("chunked: ring x3");
    }

    @Test
    void uploadsOfSeveralMegabytesReachARouteChunkedOrWithExpectContinue() throws Exception {
        List<Greeting> many = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            many.add(new Greeting("name-" + i, i));
        }
        // About 3.5 MB of JSON, far over the 64 KB request buffer: the body borrows a large-body buffer.
        String chunked = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl("http://127.0.0.1:" + port).build()
                .post().uri("/upload/greetings").contentType(MediaType.APPLICATION_JSON).body(many)
                .retrieve().body(String.class);
        assertThat(chunked).isEqualTo("chunked: 100000 greetings, last name-99999");
        String json = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(many);
        assertThat(json.length()).isGreaterThan(3_000_000);
        java.net.http.HttpResponse<String> sized = client.send(java.net.http.HttpRequest.newBuilder(uri("/upload/greetings"))
                .expectContinue(true).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json)).build(), BodyHandlers.ofString());
        assertThat(sized.statusCode()).isEqualTo(200);
        assertThat(sized.body()).isEqualTo("null: 100000 greetings, last name-99999");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Test
    void answersAStringAsUtf8Text() throws Exception {
        var r = get("/hello");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Hello, World!");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
    }

    @Test
    void bindsPathVariablesQueryParametersAndHeadersWithConversion() throws Exception {
        var r = client.send(java.net.http.HttpRequest.newBuilder(uri("/users/42?format=json%20please"))
                .header("X-Trace", "t-1").build(), BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("user 42 as json please traced t-1");
        assertThat(get("/users/7").body()).isEqualTo("user 7 as plain");
    }

    @Test
    void prefersTheMostSpecificPatternAsSpringMvcDoes() throws Exception {
        assertThat(get("/users/new").body()).isEqualTo("the form");
        assertThat(get("/static/css/site.css").body()).isEqualTo("file /static/css/site.css");
    }

    @Test
    void answersAnUnconvertiblePathVariableWith400() throws Exception {
        var r = get("/users/abc");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("path variable 'id'");
    }

    @Test
    void bindsOptionalAndSimpleUnannotatedParameters() throws Exception {
        assertThat(get("/optional?size=5").body()).isEqualTo("no page size 5");
        assertThat(get("/optional?page=2&size=5").body()).isEqualTo("page 2 size 5");
    }

    @Test
    void readsBodiesAsStringBytesBufferAndJson() throws Exception {
        assertThat(send("POST", "/echo/string", "héllo", "text/plain").body()).isEqualTo("héllo");
        var bytes = send("PUT", "/echo/bytes", "0123", null);
        assertThat(bytes.body()).isEqualTo("0123");
        assertThat(bytes.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        var buffer = send("POST", "/echo/buffer", "xyz", null);
        assertThat(buffer.body()).isEqualTo("xyz");
        assertThat(buffer.headers().firstValue("Content-Type")).hasValue("application/x-copy");
        var json = send("POST", "/greetings", "{\"name\":\"ada\",\"count\":1}", "application/json");
        assertThat(json.body()).isEqualTo("{\"name\":\"ADA\",\"count\":2}");
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void answersUnreadableJsonWith400() throws Exception {
        var r = send("POST", "/greetings", "{not json", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).as("the parser's message stays inside").isEqualTo(
                "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"Failed to read request\"}");
    }

    @Test
    void writesObjectsAsJson() throws Exception {
        assertThat(get("/json").body()).isEqualTo("[{\"name\":\"a\",\"count\":1},{\"name\":\"b\",\"count\":2}]");
    }

    @Test
    void answersVoidWith204() throws Exception {
        var r = send("DELETE", "/things/1", null, null);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void writesResponseEntityStatusHeadersAndBody() throws Exception {
        var r = get("/created");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue("/things/7");
        assertThat(r.headers().firstValue("X-Extra")).hasValue("yes");
        assertThat(r.body()).isEqualTo("made");
    }

    @Test
    void letsAVoidMethodFillTheCoreResponse() throws Exception {
        var r = get("/raw");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/x-raw");
        assertThat(r.body()).isEqualTo("raw body");
    }

    @Test
    void completesFuturesLaterOnTheLoop() throws Exception {
        var r = get("/later");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"name\":\"later\",\"count\":3}");
        assertThat(get("/later/fail").statusCode()).isEqualTo(410);
    }

    @Test
    void answersManyConcurrentAsyncRequests() throws Exception {
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Integer>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return get("/later").statusCode();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, pool));
            }
            for (CompletableFuture<Integer> f : all) {
                assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void turnsHandlerExceptionsInto500AndStatusExceptionsIntoTheirStatus() throws Exception {
        assertThat(get("/boom").statusCode()).isEqualTo(500);
        var teapot = get("/teapot");
        assertThat(teapot.statusCode()).isEqualTo(418);
        assertThat(teapot.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(teapot.body()).isEqualTo(
                "{\"type\":\"about:blank\",\"title\":\"I'm a teapot\",\"status\":418,\"detail\":\"short and stout\"}");
        var conflict = get("/conflict");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.body()).isEqualTo(
                "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"already there\"}");
        var boom = get("/boom");
        assertThat(boom.body()).as("no internal message").isEqualTo(
                "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500}");
        assertThat(get("/hello").statusCode()).isEqualTo(200);
    }

    @Test
    void answersProblemDetailsReturnedByRoutes() throws Exception {
        var problem = get("/problem");
        assertThat(problem.statusCode()).isEqualTo(422);
        assertThat(problem.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(problem.body()).isEqualTo("{\"type\":\"https://example.com/problems/few\",\"title\":"
                + "\"Unprocessable Content\",\"status\":422,\"detail\":\"too few items\",\"minimum\":3}");
        var entity = get("/problem/entity");
        assertThat(entity.statusCode()).isEqualTo(402);
        assertThat(entity.headers().firstValue("X-Hint")).hasValue("pay");
        assertThat(entity.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(entity.body()).contains("\"detail\":\"pay first\"");
    }

    @Test
    void answersUnknownPathsWith404AndWrongMethodsWith405AndAllow() throws Exception {
        var missing = get("/nowhere");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(missing.body()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}");
        var r = send("POST", "/hello", "x", null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.body()).contains("\"status\":405");
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
        var bytes = send("GET", "/echo/bytes", null, null);
        assertThat(bytes.headers().firstValue("Allow")).hasValue("POST, PUT, OPTIONS");
    }

    @Test
    void answersOptionsFromTheRoutesWithCorsPreflight() throws Exception {
        var r = client.send(java.net.http.HttpRequest.newBuilder(uri("/echo/bytes"))
                .method("OPTIONS", BodyPublishers.noBody())
                .header("Origin", "https://app.example").header("Access-Control-Request-Method", "PUT").build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST, PUT, OPTIONS");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, PUT");
        var normal = client.send(java.net.http.HttpRequest.newBuilder(uri("/hello"))
                .header("Origin", "https://app.example").build(), BodyHandlers.ofString());
        assertThat(normal.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example");
        var foreign = client.send(java.net.http.HttpRequest.newBuilder(uri("/hello"))
                .header("Origin", "https://evil.example").build(), BodyHandlers.ofString());
        assertThat(foreign.statusCode()).as("refused, as Spring's CORS processor refuses it").isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void answersHeadFromGetWithoutABody() throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            c.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawResponse head = c.readResponse(true);
            assertThat(head.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(head.header("Content-Length")).isEqualTo("13");
            // No body bytes after the HEAD response: the GET's status line follows its head at once.
            RawResponse get = c.readResponse();
            assertThat(get.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(get.bodyText()).isEqualTo("Hello, World!");
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void describesItsRoutesMostSpecificFirst() {
        List<String> routes = dispatcher.routes().describe();
        assertThat(routes).hasSizeGreaterThan(10);
        assertThat(routes.indexOf("/users/new -> Routes.newUser()"))
                .isLessThan(routes.indexOf("/users/{id} -> Routes.user()"));
    }
}
