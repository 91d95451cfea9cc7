package dev.ringhttp.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.core.testing.RawWebSocket;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * Each routed request and each WebSocket upgrade is one {@code http.server.requests}
 * observation with Spring MVC's key names, over real sockets. The
 * {@link TestObservationRegistry} also checks every observation's life cycle
 * (start, scopes, stop) and that all of them carry the same set of
 * low-cardinality keys, which Prometheus needs of one meter name.
 */
@SpringBootTest(classes = RequestObservationIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                "ringhttp.server.max-websocket-connections=4", "ringhttp.server.outgoing-buffer-size=256KB"})
class RequestObservationIntegrationTests {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @LocalRingHttpPort
    int port;

    @Autowired
    TestObservationRegistry registry;

    @Autowired
    StoppedObservations stopped;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Routes routes;

    static class Routes {
        private final TestObservationRegistry registry;
        volatile Observation.@Nullable Context currentWhileHandling;

        Routes(TestObservationRegistry registry) {
            this.registry = registry;
        }

        @HttpRoute("/users/{id}")
        String user(@PathVariable String id) {
            Observation current = registry.getCurrentObservation();
            currentWhileHandling = current == null ? null : current.getContext();
            return "user " + id;
        }

        @HttpRoute("/boom")
        String boom() {
            throw new IllegalStateException("the route failed on purpose");
        }

        @HttpRoute("/teapot")
        String teapot() {
            throw new ResponseStatusException(HttpStatus.I_AM_A_TEAPOT, "short and stout");
        }

        @HttpRoute("/later/{id}")
        CompletableFuture<String> later(@PathVariable String id) {
            return CompletableFuture.supplyAsync(() -> "later " + id,
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
        }
    }

    @WsHandler("/ws/observed/{room}")
    static class Room implements WsListener {
    }

    /** Keeps the contexts of stopped observations, whose key values are final by then. */
    static class StoppedObservations implements ObservationHandler<Observation.Context> {
        final Queue<Observation.Context> contexts = new ConcurrentLinkedQueue<>();

        @Override
        public void onStop(Observation.Context context) {
            contexts.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        Observation.Context await(String path) {
            return Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> contexts.stream().filter(c -> path.equals(highCardinality(c).get("http.url")))
                            .findFirst().orElse(null), c -> c != null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        StoppedObservations stoppedObservations() {
            return new StoppedObservations();
        }

        @Bean
        TestObservationRegistry observationRegistry(StoppedObservations stopped) {
            TestObservationRegistry registry = TestObservationRegistry.builder()
                    .validateObservationsWithTheSameNameHavingTheSameSetOfLowCardinalityKeys(true).build();
            registry.observationConfig().observationHandler(stopped);
            return registry;
        }

        @Bean
        Routes routes(TestObservationRegistry registry) {
            return new Routes(registry);
        }

        @Bean
        Room room() {
            return new Room();
        }
    }

    @Test
    void routedRequestIsObservedWithTheRoutePatternAsUri() throws Exception {
        assertThat(get("/users/42").statusCode()).isEqualTo(200);
        Observation.Context context = stopped.await("/users/42");
        assertThat(context.getName()).isEqualTo("http.server.requests");
        assertThat(context.getContextualName()).isEqualTo("http get /users/{id}");
        assertThat(lowCardinality(context)).containsExactlyInAnyOrderEntriesOf(Map.of("method", "GET",
                "uri", "/users/{id}", "status", "200", "outcome", "SUCCESS", "exception", "none"));
        assertThat(routes.currentWhileHandling).as("the observation is current while the handler runs")
                .isSameAs(context);
        TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo("http.server.requests");
    }

    @Test
    void unmatchedPathIsObservedAsNotFound() throws Exception {
        assertThat(get("/no/such/page").statusCode()).isEqualTo(404);
        assertThat(lowCardinality(stopped.await("/no/such/page"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "method", "GET", "uri", "NOT_FOUND", "status", "404", "outcome", "CLIENT_ERROR", "exception", "none"));
    }

    @Test
    void throwingRouteIsObservedWithItsException() throws Exception {
        assertThat(get("/boom").statusCode()).isEqualTo(500);
        Observation.Context context = stopped.await("/boom");
        assertThat(lowCardinality(context)).containsExactlyInAnyOrderEntriesOf(Map.of("method", "GET",
                "uri", "/boom", "status", "500", "outcome", "SERVER_ERROR", "exception", "IllegalStateException"));
        assertThat(context.getError()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void exceptionWithAStatusIsObservedWithThatStatusAndTheException() throws Exception {
        assertThat(get("/teapot").statusCode()).isEqualTo(418);
        assertThat(lowCardinality(stopped.await("/teapot"))).containsEntry("status", "418")
                .containsEntry("outcome", "CLIENT_ERROR").containsEntry("exception", "ResponseStatusException");
    }

    @Test
    void deferredRouteIsObservedUntilItsResponseCompletes() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = get("/later/7");
        long elapsed = System.nanoTime() - start;
        assertThat(response.body()).isEqualTo("later 7");
        Observation.Context context = stopped.await("/later/7");
        assertThat(lowCardinality(context)).containsExactlyInAnyOrderEntriesOf(Map.of("method", "GET",
                "uri", "/later/{id}", "status", "200", "outcome", "SUCCESS", "exception", "none"));
        // The timer from Boot's meter handler spans the 50 ms the future took, not just the dispatch.
        double millis = meters.get("http.server.requests").tags("uri", "/later/{id}").timer()
                .max(TimeUnit.MILLISECONDS);
        assertThat(millis).isGreaterThanOrEqualTo(45).isLessThanOrEqualTo(TimeUnit.NANOSECONDS.toMillis(elapsed));
    }

    @Test
    void webSocketUpgradeIsObservedWithTheHandlerPattern() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port, "/ws/observed/lobby")) {
            Observation.Context context = stopped.await("/ws/observed/lobby");
            assertThat(context.getName()).isEqualTo("http.server.requests");
            assertThat(lowCardinality(context)).containsExactlyInAnyOrderEntriesOf(Map.of("method", "GET",
                    "uri", "/ws/observed/{room}", "status", "101", "outcome", "INFORMATIONAL", "exception", "none"));
        }
    }

    @Test
    void requestsBecomeHttpServerRequestsTimersBesideTheRingHttpOnes() throws Exception {
        assertThat(get("/users/timer").statusCode()).isEqualTo(200);
        stopped.await("/users/timer");
        assertThat(meters.get("http.server.requests")
                .tags("method", "GET", "uri", "/users/{id}", "status", "200", "outcome", "SUCCESS", "exception", "none")
                .timer().count()).isPositive();
        assertThat(meters.get("ringhttp.requests").tags("route", "/users/{id}", "status", "200").timer().count())
                .isPositive();
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> lowCardinality(Observation.Context context) {
        return context.getLowCardinalityKeyValues().stream()
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    static Map<String, String> highCardinality(Observation.Context context) {
        return context.getHighCardinalityKeyValues().stream()
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }
}
