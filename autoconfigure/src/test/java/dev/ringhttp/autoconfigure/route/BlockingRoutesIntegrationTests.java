package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpMethod;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code @HttpRoute(blocking = true)} over real sockets: the method runs on the executor of
 * blocking routes while the loop serves other requests, a full executor answers 503 at once, and
 * what the method returns or throws is answered as on the loop. One thread and one queue place,
 * so that the bound is reached with three requests.
 */
@SpringBootTest(classes = BlockingRoutesIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=32",
                "ringhttp.server.max-websocket-connections=8", "ringhttp.server.outgoing-buffer-size=1MB",
                "ringhttp.routes.blocking-threads=1", "ringhttp.routes.blocking-queue-capacity=1"})
class BlockingRoutesIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    BlockingExecutor executor;

    @Autowired
    Gate gate;

    @Test
    void callsRunOnVirtualThreadsWhereTheJvmHasThem() {
        assertThat(executor.virtualThreads()).isEqualTo(Runtime.version().feature() >= 21);
    }


    record Greeting(String name, int count) {
    }

    /** Holds /slow calls until the test lets them go. */
    static final class Gate {
        final Semaphore entered = new Semaphore(0);
        volatile CountDownLatch release = new CountDownLatch(1);
    }

    static class Routes {
        private final Gate gate;

        Routes(Gate gate) {
            this.gate = gate;
        }

        @HttpRoute(path = "/slow", blocking = true)
        String slow(@RequestParam String id) throws InterruptedException {
            gate.entered.release();
            if (!gate.release.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return "slow " + id + " on " + Thread.currentThread().getName();
        }

        @HttpRoute("/fast")
        String fast() {
            return "fast on " + Thread.currentThread().getName();
        }

        @HttpRoute(path = "/missing", blocking = true)
        String missing() {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no such thing");
        }

        @HttpRoute(path = "/broken", blocking = true)
        String broken() {
            throw new IllegalStateException("failure provoked by the test");
        }

        @HttpRoute(path = "/greetings", method = HttpMethod.POST, blocking = true)
        Greeting greet(@RequestBody Greeting greeting) {
            return new Greeting(greeting.name() + " from " + Thread.currentThread().getName(), greeting.count() + 1);
        }

        @HttpRoute(path = "/future", blocking = true)
        CompletableFuture<String> future() {
            return CompletableFuture.supplyAsync(() -> "completed later");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Gate gate() {
            return new Gate();
        }

        @Bean
        Routes routes(Gate gate) {
            return new Routes(gate);
        }
    }

    @BeforeEach
    void closeTheGate() {
        gate.entered.drainPermits();
        gate.release = new CountDownLatch(1);
    }

    @AfterEach
    void openTheGate() {
        gate.release.countDown();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return new RouteClient(port).get(path);
    }

    private CompletableFuture<HttpResponse<String>> getLater(String path) {
        RouteClient client = new RouteClient(port);
        return client.sendLater(client.request(path).timeout(Duration.ofSeconds(20)));
    }

    private void awaitEntered(int calls) throws InterruptedException {
        assertThat(gate.entered.tryAcquire(calls, 10, TimeUnit.SECONDS)).as(calls + " call(s) of /slow running").isTrue();
    }

    @Test
    void aBlockingRouteRunsOffTheLoopWhileTheLoopServesOthers() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = getLater("/slow?id=1");
        awaitEntered(1);
        HttpResponse<String> fast = get("/fast");
        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fast.body()).startsWith("fast on ").doesNotContain("ringhttp-blocking");
        assertThat(slow).as("the blocking call is still held").isNotDone();
        gate.release.countDown();
        HttpResponse<String> answered = slow.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).startsWith("slow 1 on ringhttp-blocking-");
    }

    @Test
    void aFullExecutorAnswers503WithRetryAfterAtOnceAndCountsIt() throws Exception {
        CompletableFuture<HttpResponse<String>> running = getLater("/slow?id=a");
        awaitEntered(1);
        CompletableFuture<HttpResponse<String>> queued = getLater("/slow?id=b");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (executor.inProgress() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(executor.inProgress()).isEqualTo(executor.capacity()).isEqualTo(2);
        long refused = executor.refused();

        HttpResponse<String> busy = get("/slow?id=c");
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(executor.refused()).isEqualTo(refused + 1);
        assertThat(get("/fast").statusCode()).as("routes on the loop are unaffected").isEqualTo(200);

        gate.release.countDown();
        assertThat(running.get(10, TimeUnit.SECONDS).body()).startsWith("slow a on ringhttp-blocking-");
        assertThat(queued.get(10, TimeUnit.SECONDS).body()).startsWith("slow b on ringhttp-blocking-");
        assertThat(executor.inProgress()).isZero();
    }

    @Test
    void whatTheMethodThrowsIsAnsweredAsOnTheLoop() throws Exception {
        HttpResponse<String> missing = get("/missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no such thing");
        assertThat(get("/broken").statusCode()).isEqualTo(500);
        assertThat(get("/fast").statusCode()).isEqualTo(200);
    }

    @Test
    void bodiesAreBoundOnTheLoopAndAnswersWrittenBackFromTheExecutor() throws Exception {
        HttpResponse<String> greeted = new RouteClient(port).post("/greetings", "application/json",
                "{\"name\":\"ada\",\"count\":1}");
        assertThat(greeted.statusCode()).isEqualTo(200);
        assertThat(greeted.body()).startsWith("{\"name\":\"ada from ringhttp-blocking-").endsWith("\",\"count\":2}");
        HttpResponse<String> later = get("/future");
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.body()).isEqualTo("completed later");
    }
}
