package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.testing.RawConnection;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring dispatch fast path allocates nothing on the event loop: a
 * literal {@code @HttpRoute} whose method allocates nothing (a static body, or
 * a constant String staged in the ring) costs no garbage per request.
 *
 * <p>Here the application has no {@code ObservationRegistry} (Boot's
 * observation auto-configuration is excluded), so no request observer exists;
 * {@link NoopObservationDispatchAllocationTests} measures the same with a
 * no-op registry, where the observer exists but observes nothing.
 */
@SpringBootTest(classes = DispatchAllocationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=8",
                "ringhttp.server.max-websocket-connections=4", "ringhttp.server.outgoing-buffer-size=256KB",
                "spring.autoconfigure.exclude="
                        + "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
class DispatchAllocationTests {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;
    private static final int PIPELINE = 8;

    static volatile long loopThreadId = -1;

    @LocalRingHttpPort
    int port;

    @Autowired
    ApplicationContext context;

    static class Routes {
        private static final ByteBuffer HELLO = ByteBuffer.allocateDirect(13)
                .put("Hello, World!".getBytes(StandardCharsets.US_ASCII)).flip().asReadOnlyBuffer();

        @HttpRoute("/hello")
        void hello(HttpResponse response) {
            response.contentType("text/plain").body(HELLO);
        }

        @HttpRoute("/text")
        String text() {
            return "a constant staged in the ring";
        }

        @HttpRoute("/thread")
        String thread() {
            loopThreadId = Thread.currentThread().getId();
            return "ok";
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

    @Test
    void literalRoutesAllocateNothingPerRequestOnTheLoop() throws Exception {
        assertThat(context.getBeanProvider(ObservationRegistry.class).getIfAvailable()).isNull();
        assertThat(context.getBeanProvider(RequestObserver.class).getIfAvailable()).isNull();
        assertNoAllocationPerRequest(port);
    }

    /** Asserts that the loop thread allocates less than a byte per request to literal routes. */
    static void assertNoAllocationPerRequest(int port) throws Exception {
        assertThat(bytesPerRequest(port)).isLessThan(1.0);
    }

    /** Measures the loop thread's allocations over many pipelined requests to literal routes. */
    static double bytesPerRequest(int port) throws Exception {
        assumeTrue(Integer.valueOf(65_535) == Integer.valueOf(65_535),
                "run with -XX:AutoBoxCacheMax=65536 (JDK 17's epoll selector boxes file descriptors above 127)");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (RawConnection c = new RawConnection(port)) {
            exchange(c, "/thread", 1);
            assertThat(loopThreadId).isPositive();
            run(c, WARM_UP);
            long before = threads.getThreadAllocatedBytes(loopThreadId);
            run(c, MEASURED);
            long after = threads.getThreadAllocatedBytes(loopThreadId);
            double perRequest = (after - before) / (double) MEASURED;
            System.out.printf("Spring dispatch on the loop: %.3f bytes/request over %d requests%n", perRequest, MEASURED);
            return perRequest;
        }
    }

    private static void run(RawConnection c, int requests) throws Exception {
        for (int i = 0; i < requests; i += PIPELINE) {
            exchange(c, (i / PIPELINE) % 2 == 0 ? "/hello" : "/text", PIPELINE);
        }
    }

    /** Sends {@code count} pipelined requests and reads as many responses, checking each status line. */
    private static void exchange(RawConnection c, String path, int count) throws Exception {
        c.send(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").repeat(count));
        for (int i = 0; i < count; i++) {
            assertThat(c.readResponse().statusLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }
}
