package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring dispatch fast path allocates nothing on the event loop: a
 * literal {@code @HttpRoute} whose method allocates nothing (a static body, or
 * a constant String staged in the ring) costs no garbage per request.
 */
@SpringBootTest(classes = DispatchAllocationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=8",
                "ringhttp.server.max-websocket-connections=4", "ringhttp.server.outgoing-buffer-size=256KB"})
class DispatchAllocationTests {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;
    private static final int PIPELINE = 8;

    static volatile long loopThreadId = -1;

    @LocalRingHttpPort
    int port;

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
        assumeTrue(Integer.valueOf(65_535) == Integer.valueOf(65_535),
                "run with -XX:AutoBoxCacheMax=65536 (JDK 17's epoll selector boxes file descriptors above 127)");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            exchange(out, in, "/thread", 1);
            assertThat(loopThreadId).isPositive();
            run(out, in, WARM_UP);
            long before = threads.getThreadAllocatedBytes(loopThreadId);
            run(out, in, MEASURED);
            long after = threads.getThreadAllocatedBytes(loopThreadId);
            double perRequest = (after - before) / (double) MEASURED;
            System.out.printf("Spring dispatch on the loop: %.3f bytes/request over %d requests%n", perRequest, MEASURED);
            assertThat(perRequest).isLessThan(1.0);
        }
    }

    private static void run(OutputStream out, InputStream in, int requests) throws Exception {
        for (int i = 0; i < requests; i += PIPELINE) {
            exchange(out, in, (i / PIPELINE) % 2 == 0 ? "/hello" : "/text", PIPELINE);
        }
    }

    /** Sends {@code count} pipelined requests and reads as many responses, checking each status line. */
    private static void exchange(OutputStream out, InputStream in, String path, int count) throws Exception {
        byte[] one = ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[one.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(one, 0, all, i * one.length, one.length);
        }
        out.write(all);
        for (int i = 0; i < count; i++) {
            readResponse(in);
        }
    }

    private static void readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed: " + head);
            }
            head.append((char) b);
        }
        assertThat(head).startsWith("HTTP/1.1 200 OK");
        int at = head.indexOf("Content-Length: ") + "Content-Length: ".length();
        int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)));
        in.readNBytes(length);
    }
}
