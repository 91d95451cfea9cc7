package dev.ringhttp.core.http.it;

import static dev.ringhttp.core.http.it.ItSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.HttpResponseReader;
import dev.ringhttp.core.testing.LoopCpu;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.TestServer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients and handlers that once stopped, stalled or corrupted the whole server, each driven
 * through the real event loop over loopback sockets. Every test ends by proving that another
 * connection is still served.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileHttpClientsTest {

    private static final String MINIMAL = "GET /hello HTTP/1.1\r\nHost:a\r\n\r\n";
    /** As many minimal requests as fit under the 64 KB default request limit, in one write. */
    private static final int FLOOD = 65_536 / MINIMAL.length() - 1;

    private final BlockingQueue<Long> deferred = new LinkedBlockingQueue<>();
    private final AtomicReference<HttpResponse> kept = new AtomicReference<>();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(int requestLimit, int ring) {
        // Bodies over the request buffer are refused here: large-body buffers are LargeRequestBodyTest's.
        server = ItSupport.start(ItSupport.smallConfig().maxRequestLength(requestLimit).outgoingBufferSize(ring)
                .largeBodyBuffers(0), this::handle);
    }

    private void handle(HttpRequest request, HttpResponse response) {
        RingHttpServer s = server.server();
        switch (request.path()) {
            case "/hello", "/ok" -> response.contentType("text/plain").body("hi");
            case "/later" -> deferred.add(response.defer());
            case "/keep" -> {
                kept.set(response);
                deferred.add(response.defer());
            }
            case "/junk-then-throw" -> {
                s.staging().ascii("junk");
                throw new IllegalStateException("provoked by the test");
            }
            case "/junk-then-return" -> s.staging().ascii("junk");
            case "/error" -> throw new StackOverflowError("provoked by the test");
            case "/handle" -> response.body(Long.toString(s.httpConnectionHandle(request.connectionId())));
            case "/upload" -> response.body("got " + request.body().remaining());
            default -> response.status(404);
        }
    }

    @Test
    void aFloodOfPipelinedRequestsInOneWriteIsAnsweredInFull() throws Exception {
        start(65_536, 8 << 20);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(MINIMAL.repeat(FLOOD));
            for (int i = 0; i < FLOOD; i++) {
                RawResponse r = c.readResponse();
                assertThat(r.status()).as("response %d", i).isEqualTo(200);
                assertThat(r.bodyText()).isEqualTo("hi");
            }
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.EXPECTED_EOF);
        assertThat(server.server().isRunning()).isTrue();
        assertThat(server.server().failure()).isNull();
        ItSupport.assertStillServes(server);
    }

    @Test
    void aFloodPipelinedBehindADeferredResponseIsAnsweredAndTheLoopGoesIdle() throws Exception {
        start(65_536, 8 << 20);
        RingHttpServer s = server.server();
        String later = "GET /later HTTP/1.1\r\nHost:a\r\n\r\n";
        int n = (65_536 - later.length()) / MINIMAL.length() - 1;
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(later + MINIMAL.repeat(n));
            long token = deferred.poll(10, TimeUnit.SECONDS);
            // Completing answers everything pipelined behind it: from the loop, not inside this task.
            s.execute(() -> {
                HttpResponse r = s.deferredResponse(token);
                r.body("late");
                r.complete();
            });
            assertThat(c.readResponse().bodyText()).isEqualTo("late");
            for (int i = 0; i < n; i++) {
                assertThat(c.readResponse().bodyText()).as("response %d", i).isEqualTo("hi");
            }
            assertThat(LoopCpu.share(s, 500)).as("share of a core the idle loop uses").isLessThan(0.2);
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.EXPECTED_EOF);
        ItSupport.assertStillServes(server);
    }

    @Test
    void bytesStagedByAHandlerThatThrowsNeverReachTheNextResponse() throws Exception {
        start(4096, 1 << 20);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/junk-then-throw"));
            assertThat(c.readResponse().status()).isEqualTo(500);
            c.send(get("/hello"));
            assertThat(c.readResponse().bodyText()).isEqualTo("hi");
            c.send(get("/junk-then-return"));
            RawResponse empty = c.readResponse();
            assertThat(empty.status()).isEqualTo(200);
            assertThat(empty.body()).isEmpty();
            c.send(get("/hello"));
            assertThat(c.readResponse().bodyText()).isEqualTo("hi");
        }
        assertThat(server.server().counters().handlerErrors()).isEqualTo(1);
    }

    @Test
    void bytesStagedByATaskThatThrowsNeverReachTheNextMessage() throws Exception {
        start(4096, 1 << 20);
        RingHttpServer s = server.server();
        s.execute(() -> {
            s.staging().ascii("junk");
            throw new IllegalStateException("provoked by the test");
        });
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/hello"));
            assertThat(c.readResponse().bodyText()).isEqualTo("hi");
        }
    }

    @Test
    void anErrorFromAHandlerClosesOnlyItsConnection() throws Exception {
        start(4096, 1 << 20);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/error"));
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.HANDLER_ERROR);
        assertThat(server.server().counters().handlerErrors()).isEqualTo(1);
        ItSupport.assertStillServes(server);
    }

    @Test
    void aResponseKeptPastItsConnectionRefusesABodyAndEvictionStillEnds() throws Exception {
        start(4096, 64 * 1024);
        RingHttpServer s = server.server();
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/keep"));
            deferred.poll(10, TimeUnit.SECONDS);
            c.socket().setSoLinger(true, 0);
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.PEER_RESET);
        CompletableFuture<Throwable> stale = new CompletableFuture<>();
        s.execute(() -> {
            try {
                kept.get().body("too late");
                stale.complete(null);
            } catch (RuntimeException e) {
                stale.complete(e);
            }
        });
        assertThat(stale.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
        // Wrap the ring several times: eviction must find nobody to close, not loop on a dead slot.
        s.execute(() -> {
            for (int i = 0; i < 8; i++) {
                s.staging().bytes(new byte[30_000]).unstage();
                s.staging().bytes(new byte[30_000]).broadcast(false);
            }
        });
        ItSupport.assertStillServes(server);
    }

    @Test
    void aStaleHandleNeverClosesTheNextTenantOfItsSlot() throws Exception {
        start(4096, 1 << 20);
        RingHttpServer s = server.server();
        long first;
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/handle"));
            first = Long.parseLong(c.readResponse().bodyText());
        }
        server.nextClose(ConnectionType.HTTP);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(get("/handle"));
            long second = Long.parseLong(c.readResponse().bodyText());
            assertThat((int) second).as("the slot is reused").isEqualTo((int) first);
            assertThat(second).isNotEqualTo(first);
            s.closeHttpConnection(first);
            c.send(get("/hello"));
            assertThat(c.readResponse().bodyText()).isEqualTo("hi");
            s.closeHttpConnection(second);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.CLOSED_BY_APPLICATION);
        assertThat(s.counters().closes(ConnectionType.HTTP, CloseReason.CLOSED_BY_APPLICATION)).isEqualTo(1);
    }

    @Test
    void closingTheServerFromItsOwnLoopReturnsAtOnce() throws Exception {
        start(4096, 1 << 20);
        RingHttpServer s = server.server();
        CompletableFuture<Long> took = new CompletableFuture<>();
        s.execute(() -> {
            long t0 = System.nanoTime();
            s.close();
            took.complete(System.nanoTime() - t0);
        });
        assertThat(TimeUnit.NANOSECONDS.toMillis(took.get(10, TimeUnit.SECONDS))).isLessThan(500);
        Await.until(() -> !s.isRunning(), "the server to stop");
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBody() throws Exception {
        start(4096, 1 << 20);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(HttpResponseReader.readHead(c.input())).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            c.send("12345");
            assertThat(c.readResponse().bodyText()).isEqualTo("got 5");
            // a second request on the same connection, with its body sent at once: no 100 is due any more
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nab");
            RawResponse r = c.readResponse();
            if (r.status() == 100) {
                r = c.readResponse();
            }
            assertThat(r.bodyText()).isEqualTo("got 2");
        }
    }

    @Test
    void expectContinueWithABodyOverTheLimitGets413AtOnce() throws Exception {
        start(4096, 1 << 20);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.LARGE_REQUEST);
    }

    @Test
    void aClientStillSendingABodyOverTheLimitReadsIts413() throws Exception {
        start(4096, 1 << 20);
        try (RawConnection c = new RawConnection(server.port())) {
            c.socket().setReceiveBufferSize(4096);
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 32000000\r\n\r\n");
            // The 413 is decided on the head; the client goes on writing the body it announced, far more
            // than the server's socket buffers hold, so only a server that keeps reading lets it finish.
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < 32_000_000; sent += chunk.length) {
                c.output().write(chunk);
            }
            c.output().flush();
            RawResponse r = c.readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(c.isClosedByPeer()).isTrue();
        }
        assertThat(server.nextClose(ConnectionType.HTTP).reason()).isEqualTo(CloseReason.LARGE_REQUEST);
        ItSupport.assertStillServes(server);
    }

    @Test
    void anUnknownExpectationIsRefusedWith417() throws Exception {
        start(4096, 1 << 20);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nExpect: something-else\r\n\r\nx");
            assertThat(c.readResponse().status()).isEqualTo(417);
        }
    }
}
