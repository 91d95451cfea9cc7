package dev.ringhttp.core.http.it;

import static dev.ringhttp.core.http.it.ItSupport.PATTERN;
import static dev.ringhttp.core.http.it.ItSupport.get;
import static dev.ringhttp.core.http.it.ItSupport.getClose;
import static dev.ringhttp.core.http.it.ItSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.testing.HttpResponseReader;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.TestServer;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Persistent connections, pipelining and the response features, end to end over loopback sockets. */
class HttpKeepAliveTest {

    /** A static body shared by every connection: 10 000 pattern bytes. */
    private static final ByteBuffer STATIC_BODY;
    private static final byte[] STATIC_BYTES = ItSupport.pattern(10_000);

    static {
        ByteBuffer b = ByteBuffer.allocateDirect(STATIC_BYTES.length);
        b.put(STATIC_BYTES).flip();
        STATIC_BODY = b.asReadOnlyBuffer();
    }

    /** A shared static body whose position is not 0: only bytes [100, 200) are the body. */
    private static final ByteBuffer STATIC_SLICE = ByteBuffer.wrap(STATIC_BYTES).position(100).limit(200).asReadOnlyBuffer();

    private final BlockingQueue<Long> deferred = new LinkedBlockingQueue<>();
    private TestServer server;

    @BeforeEach
    void start() {
        server = ItSupport.start(ItSupport.smallConfig().outgoingBufferSize(8 << 20), this::handle);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void handle(HttpRequest request, HttpResponse response) {
        String path = request.path();
        switch (path) {
            case "/id" -> response.contentType("text/plain").body("id=" + request.connectionId());
            case "/echo" -> {
                ByteBuffer in = request.body();
                byte[] copy = new byte[in.remaining()];
                in.get(copy);
                response.body(request.method() + ":" + new String(copy, StandardCharsets.UTF_8));
            }
            case "/static" -> response.contentType("application/octet-stream").body(STATIC_BODY);
            case "/staged" -> {
                server.server().staging().ascii("n=").decimal(12345).utf8(" \u00e9t\u00e9");
                response.stagedBody();
            }
            case "/ring" -> {
                int n = ItSupport.queryInt(request.query(), 1000);
                server.server().staging().bytes(PATTERN, 0, n);
                assertThat(response.stagedBody()).isTrue();
            }
            case "/slice" -> response.body(STATIC_SLICE);
            case "/huge-head" -> response.header("X-Huge", "h".repeat(5000)).body("not this");
            case "/inject" -> response.header("X-Evil", "a\r\nSet-Cookie: stolen=1").location("/x\r\nX-Injected: 1").body("ok");
            case "/204" -> response.status(204).body("must not be sent");
            case "/304" -> response.status(304).body(STATIC_BODY);
            case "/headers" -> response.status(302)
                    .cacheControl("no-store")
                    .contentEncoding("identity")
                    .location("/elsewhere")
                    .cors("https://a.example", "GET, POST", "X-Token", 600)
                    .header("X-One", "1")
                    .header("X-Two", "two")
                    .body("moved");
            case "/boom" -> {
                server.server().staging().ascii("half a body");
                response.body("never sent");
                throw new IllegalStateException("handler failure on purpose");
            }
            case "/defer" -> deferred.add(response.defer());
            default -> response.body("ok");
        }
    }

    @Test
    void severalRequestsOnOneSocketUseOneConnection() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            String first = null;
            for (int i = 0; i < 5; i++) {
                RawResponse r = c.send(get("/id")).readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Connection")).isNull();
                if (first == null) {
                    first = r.bodyText();
                }
                assertThat(r.bodyText()).isEqualTo(first).startsWith("id=");
            }
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.EXPECTED_EOF);
        assertThat(server.server().counters().toString()).isNotEmpty();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/id") + post("/echo", "hello") + get("/echo") + post("/echo", "") + post("/echo", "x\r\ny")
                    + get("/static"));
            String id = c.readResponse().bodyText();
            assertThat(id).startsWith("id=");
            assertThat(c.readResponse().bodyText()).isEqualTo("POST:hello");
            assertThat(c.readResponse().bodyText()).isEqualTo("GET:");
            assertThat(c.readResponse().bodyText()).isEqualTo("POST:");
            assertThat(c.readResponse().bodyText()).isEqualTo("POST:x\r\ny");
            assertThat(c.readResponse().body()).isEqualTo(STATIC_BYTES);
            assertThat(c.send(get("/id")).readResponse().bodyText()).isEqualTo(id);
        }
    }

    @Test
    void pipelinedRequestsSplitAcrossWritesAreAnsweredInOrder() throws Exception {
        String all = post("/echo", "abc") + get("/id") + post("/echo", "defgh");
        try (RawConnection c = new RawConnection(server.port())) {
            int cut1 = all.indexOf("Content-Length") + 3;
            int cut2 = all.length() - 4;
            c.send(all.substring(0, cut1));
            Thread.sleep(5);
            c.send(all.substring(cut1, cut2));
            Thread.sleep(5);
            c.send(all.substring(cut2));
            assertThat(c.readResponse().bodyText()).isEqualTo("POST:abc");
            assertThat(c.readResponse().bodyText()).startsWith("id=");
            assertThat(c.readResponse().bodyText()).isEqualTo("POST:defgh");
        }
    }

    @Test
    void http10ClosesByDefault() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawResponse r = c.send("GET /id HTTP/1.0\r\n\r\n").readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.OK);
    }

    @Test
    void http10StaysOpenWhenItAsksForKeepAlive() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            String request = "GET /id HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
            RawResponse first = c.send(request).readResponse();
            assertThat(first.header("Connection")).isEqualToIgnoringCase("keep-alive");
            RawResponse second = c.send(request).readResponse();
            assertThat(second.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(second.bodyText()).isEqualTo(first.bodyText());
            RawResponse last = c.send("GET /id HTTP/1.0\r\n\r\n").readResponse();
            assertThat(last.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.OK);
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(getClose("/static") + get("/id"));
            RawResponse r = c.readResponse();
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(r.body()).isEqualTo(STATIC_BYTES);
            // The pipelined request after "Connection: close" is not answered.
            assertThat(c.readToEnd()).isEmpty();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.OK);
    }

    @Test
    void headHasContentLengthButNoBody() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("HEAD /static HTTP/1.1\r\nHost: t\r\n\r\n" + "HEAD /ring?n=5000 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + get("/echo"));
            RawResponse head = c.readResponse(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(STATIC_BYTES.length));
            RawResponse ringHead = c.readResponse(true);
            assertThat(ringHead.header("Content-Length")).isEqualTo("5000");
            // A stray body byte would make this response unparsable.
            RawResponse next = c.readResponse();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.bodyText()).isEqualTo("GET:");
        }
    }

    @Test
    void noContentAndNotModifiedCarryNoBodyNorLength() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/204") + get("/304") + get("/echo"));
            RawResponse noContent = c.readResponse(true);
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("Content-Length")).isNull();
            RawResponse notModified = c.readResponse(true);
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("Content-Length")).isNull();
            RawResponse next = c.readResponse();
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(next.bodyText()).isEqualTo("GET:");
        }
    }

    @Test
    void staticBodySharedByManyConnectionsStaysIntact() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (RawConnection c = new RawConnection(server.port())) {
                assertThat(c.send(get("/static")).readResponse().body()).isEqualTo(STATIC_BYTES);
            }
        }
        // Interleaved: several connections write from the same buffer in the same turns.
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                open.add(new RawConnection(server.port()));
            }
            for (RawConnection c : open) {
                c.send(get("/static") + get("/static"));
            }
            for (RawConnection c : open) {
                assertThat(c.readResponse().body()).isEqualTo(STATIC_BYTES);
                assertThat(c.readResponse().body()).isEqualTo(STATIC_BYTES);
            }
        } finally {
            for (RawConnection c : open) {
                c.close();
            }
        }
        assertThat(STATIC_BODY.position()).isZero();
        assertThat(STATIC_BODY.limit()).isEqualTo(STATIC_BYTES.length);
    }

    @Test
    void staticBodyWithNonZeroPositionIsSentFromThereAndLeftThere() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (RawConnection c = new RawConnection(server.port())) {
                RawResponse r = c.send(get("/slice") + get("/slice")).readResponse();
                assertThat(r.body()).isEqualTo(Arrays.copyOfRange(STATIC_BYTES, 100, 200));
                assertThat(c.readResponse().body()).isEqualTo(Arrays.copyOfRange(STATIC_BYTES, 100, 200));
            }
        }
        assertThat(STATIC_SLICE.position()).isEqualTo(100);
        assertThat(STATIC_SLICE.limit()).isEqualTo(200);
    }

    @Test
    void headThatDoesNotFitTheHeadBufferBecomes500AndTheConnectionGoesOn() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawResponse r = c.send(get("/huge-head") + get("/echo")).readResponse();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("X-Huge")).isNull();
            assertThat(r.body()).isEmpty();
            assertThat(c.readResponse().bodyText()).isEqualTo("GET:");
        }
    }

    @Test
    void headerValuesCannotSplitTheHead() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawResponse r = c.send(get("/inject") + get("/echo")).readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).doesNotContainKeys("set-cookie", "x-injected");
            assertThat(r.header("X-Evil")).isEqualTo("a??Set-Cookie: stolen=1");
            assertThat(r.header("Location")).isEqualTo("/x??X-Injected: 1");
            assertThat(r.bodyText()).isEqualTo("ok");
            assertThat(c.readResponse().bodyText()).isEqualTo("GET:");
        }
    }

    @Test
    void ringStagedBodies() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send(get("/echo")).readResponse().bodyText()).isEqualTo("GET:");
            RawResponse staged = c.send(get("/staged")).readResponse();
            assertThat(staged.bodyText()).isEqualTo("n=12345 \u00e9t\u00e9");
            assertThat(staged.header("Content-Length")).isEqualTo(String.valueOf(staged.body().length));
            for (int n : new int[] {1, 100, 65_536, 300_000}) {
                assertThat(c.send(get("/ring?n=" + n)).readResponse().body()).isEqualTo(ItSupport.pattern(n));
            }
            RawResponse empty = c.send(get("/ring?n=0")).readResponse();
            assertThat(empty.header("Content-Length")).isEqualTo("0");
            assertThat(c.send(get("/echo")).readResponse().bodyText()).isEqualTo("GET:");
        }
    }

    @Test
    void largeRingBodyReadSlowlyArrivesIntact() throws Exception {
        // Larger than the send buffer Linux autotunes to (4 MiB): the server must resume writing.
        int n = HttpCloseReasonsTest.UNSENDABLE;
        try (RawConnection s = RawConnection.withReceiveBuffer(server.port(), 4096)) {
            s.send(get("/ring?n=" + n));
            // Let the server fill the socket and wait for it to drain.
            Thread.sleep(50);
            InputStream in = s.input();
            String head = HttpResponseReader.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: " + n);
            byte[] body = new byte[n];
            int at = 0;
            int reads = 0;
            while (at < n) {
                int k = in.read(body, at, Math.min(16_384, n - at));
                assertThat(k).isPositive();
                at += k;
                if (++reads % 32 == 0) {
                    Thread.sleep(1);
                }
            }
            assertThat(Arrays.equals(body, ItSupport.pattern(n))).as("body intact").isTrue();
            // And the connection goes on.
            s.send(get("/echo"));
            assertThat(HttpResponseReader.readHead(in)).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void corsCacheLocationAndExtraHeadersAppear() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawResponse r = c.send(get("/headers")).readResponse();
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 302 Found");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.header("Content-Encoding")).isEqualTo("identity");
            assertThat(r.header("Location")).isEqualTo("/elsewhere");
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://a.example");
            assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST");
            assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("X-Token");
            assertThat(r.header("Access-Control-Max-Age")).isEqualTo("600");
            assertThat(r.header("X-One")).isEqualTo("1");
            assertThat(r.header("X-Two")).isEqualTo("two");
            assertThat(r.header("Date")).endsWith("GMT");
            assertThat(r.bodyText()).isEqualTo("moved");
            // The next response on the slot starts clean.
            RawResponse next = c.send(get("/echo")).readResponse();
            assertThat(next.headers()).doesNotContainKeys("location", "x-one", "access-control-allow-origin",
                    "cache-control");
        }
    }

    @Test
    void handlerExceptionGives500AndTheConnectionGoesOn() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawResponse r = c.send(get("/boom") + get("/echo")).readResponse();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("Content-Length")).isEqualTo("0");
            RawResponse next = c.readResponse();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).isEqualTo("GET:");
            // The half-staged message of the failed handler does not leak into the next ring body.
            assertThat(c.send(get("/staged")).readResponse().bodyText()).isEqualTo("n=12345 \u00e9t\u00e9");
        }
        assertThat(server.server().counters().toString()).isNotEmpty();
    }

    @Test
    void deferredResponseCompletedFromAnotherThread() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/defer") + get("/echo"));
            long token = deferred.poll(10, TimeUnit.SECONDS);
            // Nothing is written before completion, not even the pipelined request's answer.
            c.socket().setSoTimeout(50);
            try {
                int b = c.input().read();
                throw new AssertionError("a byte arrived before the deferred response was completed: " + b);
            } catch (SocketTimeoutException expected) {
                // Nothing yet.
            }
            c.socket().setSoTimeout(10_000);
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            Thread worker = new Thread(() -> server.server().execute(() -> {
                HttpResponse response = server.server().deferredResponse(token);
                if (response == null) {
                    done.complete(false);
                    return;
                }
                response.status(201).header("X-Late", "yes").body("late");
                response.complete();
                done.complete(true);
            }));
            worker.start();
            assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("X-Late")).isEqualTo("yes");
            assertThat(r.bodyText()).isEqualTo("late");
            assertThat(c.readResponse().bodyText()).isEqualTo("GET:");
            worker.join();
        }
    }

    @Test
    void deferredResponseOfAClosedConnectionIsNull() throws Exception {
        RingHttpServer s = server.server();
        long token;
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/defer"));
            token = deferred.poll(10, TimeUnit.SECONDS);
            s.closeHttpConnection(token);
            assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.CLOSED_BY_APPLICATION);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(deferredOnLoop(token)).isNull();
        // The slot is recycled by a new connection: the old token still finds nothing.
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(c.send(get("/id")).readResponse().bodyText()).isEqualTo("id=" + (int) token);
            assertThat(deferredOnLoop(token)).isNull();
        }
    }

    @Test
    void aClientThatResetsWhileItsAnswerIsDeferredIsClosedAtOnce() throws Exception {
        long token;
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/defer"));
            token = deferred.poll(10, TimeUnit.SECONDS);
            c.socket().setSoLinger(true, 0);
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.PEER_RESET);
        assertThat(deferredOnLoop(token)).isNull();
    }

    @Test
    void aPipelinedRequestArrivingWhileDeferredIsAnsweredAfterTheDeferredOne() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/defer"));
            long token = deferred.poll(10, TimeUnit.SECONDS);
            c.send(get("/id"));
            server.server().execute(() -> {
                HttpResponse r = server.server().deferredResponse(token);
                r.body("late");
                r.complete();
            });
            assertThat(c.readResponse().bodyText()).isEqualTo("late");
            assertThat(c.readResponse().bodyText()).isEqualTo("id=" + (int) token);
        }
    }

    @Test
    void deferredResponseCannotBeTakenOffTheLoop() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.server().deferredResponse(0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("execute(");
    }

    private HttpResponse deferredOnLoop(long token) throws Exception {
        CompletableFuture<AtomicReference<HttpResponse>> f = new CompletableFuture<>();
        server.server().execute(() -> f.complete(new AtomicReference<>(server.server().deferredResponse(token))));
        return f.get(10, TimeUnit.SECONDS).get();
    }
}
