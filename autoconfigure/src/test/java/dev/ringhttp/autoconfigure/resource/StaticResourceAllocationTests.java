package dev.ringhttp.autoconfigure.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.testing.RawConnection;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * Static files cost the event loop no garbage per request: a hit, a revalidation with the ETag that
 * was sent (304), and a request for a route that passes the static index on its way.
 */
@SpringBootTest(classes = StaticResourceAllocationTests.App.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.max-connections=8",
        "ringhttp.server.max-websocket-connections=4", "ringhttp.server.outgoing-buffer-size=256KB",
        "spring.web.resources.static-locations=classpath:/static-site/",
        "spring.autoconfigure.exclude="
                + "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
class StaticResourceAllocationTests {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;
    private static final int PIPELINE = 8;

    static volatile long loopThreadId = -1;

    @LocalRingHttpPort
    int port;

    static class Routes {
        private static final ByteBuffer HELLO = ByteBuffer.allocateDirect(5)
                .put("hello".getBytes(StandardCharsets.US_ASCII)).flip().asReadOnlyBuffer();

        @HttpRoute("/hello")
        void hello(HttpResponse response) {
            response.body(HELLO);
        }

        @HttpRoute("/thread")
        String thread() {
            loopThreadId = Thread.currentThread().getId();
            return "ok";
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes() {
            return new Routes();
        }
    }

    @Test
    void servingRevalidatingAndPassingByAllocateNothingOnTheLoop() throws Exception {
        assumeTrue(Integer.valueOf(65_535) == Integer.valueOf(65_535),
                "run with -XX:AutoBoxCacheMax=65536 (JDK 17's epoll selector boxes file descriptors above 127)");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (RawConnection c = new RawConnection(port)) {
            exchange(c, "GET /thread HTTP/1.1\r\nHost: x\r\n\r\n", 1, 200);
            c.send("GET /css/app.css HTTP/1.1\r\nHost: x\r\n\r\n");
            String etag = c.readResponse().header("ETag");
            String[] requests = {"GET /css/app.css HTTP/1.1\r\nHost: x\r\n\r\n",
                    "GET /css/app.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n",
                    "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"};
            int[] statuses = {200, 304, 200, 200};
            run(c, requests, statuses, WARM_UP);
            long before = threads.getThreadAllocatedBytes(loopThreadId);
            run(c, requests, statuses, MEASURED);
            double perRequest = (threads.getThreadAllocatedBytes(loopThreadId) - before) / (double) MEASURED;
            System.out.printf("Static resources on the loop: %.3f bytes/request over %d requests%n", perRequest,
                    MEASURED);
            assertThat(perRequest).isLessThan(1.0);
        }
    }

    private static void run(RawConnection c, String[] requests, int[] statuses, int count) throws Exception {
        for (int i = 0; i < count; i += PIPELINE) {
            int kind = (i / PIPELINE) % requests.length;
            exchange(c, requests[kind], PIPELINE, statuses[kind]);
        }
    }

    private static void exchange(RawConnection c, String request, int count, int status) throws Exception {
        c.send(request.repeat(count));
        for (int i = 0; i < count; i++) {
            assertThat(c.readResponse().status()).isEqualTo(status);
        }
    }
}
