package dev.ringhttp.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ringhttp.autoconfigure.server.WebServerTestApplication.Routes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing a ringhttp application stops its server as Spring Boot stops its
 * own, over real sockets: gracefully by default ({@code server.shutdown}),
 * within the shutdown phase's timeout
 * ({@code spring.lifecycle.timeout-per-shutdown-phase}) or ringhttp's shorter
 * grace period, and at once with {@code server.shutdown=immediate}. Each test
 * holds a request whose response is in flight ({@code /slow}) and watches
 * when the server closes it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownIntegrationTests {

    /** Slack for a loaded machine on top of a deadline; far below the timeouts the tests tell apart. */
    private static final long SLACK_MILLIS = 3_000;

    @Test
    void aGracefulShutdownRefusesNewConnectionsAndLetsAResponseInFlightFinish(CapturedOutput output)
            throws Exception {
        ConfigurableApplicationContext context = run("--spring.lifecycle.timeout-per-shutdown-phase=20s");
        Routes routes = context.getBean(Routes.class);
        int port = context.getBean(RingHttpWebServer.class).getPort();
        try (Socket client = requestSlow(port, routes)) {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
            awaitRefused(port);
            assertThat(closing).as("waiting for the response in flight").isNotDone();

            routes.slowResponse.complete("finished");

            assertThat(readUntilClosed(client)).startsWith("HTTP/1.1 200").endsWith("finished");
            closing.get(SLACK_MILLIS, TimeUnit.MILLISECONDS); // long before the 20 s phase timeout
        }
        assertThat(output).contains("Commencing graceful shutdown").contains("Graceful shutdown complete");
    }

    @Test
    void aResponseStillInFlightWhenTheShutdownPhaseTimesOutIsCut(CapturedOutput output) throws Exception {
        long cutAfter = closeWithResponseInFlight("--spring.lifecycle.timeout-per-shutdown-phase=1s");

        assertThat(cutAfter).isBetween(900L, 1_000 + SLACK_MILLIS);
        assertThat(output).contains("Graceful shutdown reached the end of its grace period of 1000 ms");
    }

    @Test
    void ringhttpsOwnShorterGracePeriodEndsItSooner() throws Exception {
        long cutAfter = closeWithResponseInFlight("--spring.lifecycle.timeout-per-shutdown-phase=30s",
                "--ringhttp.server.shutdown-grace-period=300ms");

        assertThat(cutAfter).isBetween(250L, 300 + SLACK_MILLIS);
    }

    @Test
    void aGracePeriodLongerThanTheShutdownPhaseEndsWithThePhase() throws Exception {
        long cutAfter = closeWithResponseInFlight("--spring.lifecycle.timeout-per-shutdown-phase=1s",
                "--ringhttp.server.shutdown-grace-period=60s");

        assertThat(cutAfter).isBetween(900L, 1_000 + SLACK_MILLIS);
    }

    @Test
    void immediateShutdownCutsAResponseInFlightAtOnce(CapturedOutput output) throws Exception {
        long cutAfter = closeWithResponseInFlight("--server.shutdown=immediate",
                "--spring.lifecycle.timeout-per-shutdown-phase=30s", "--ringhttp.server.shutdown-grace-period=30s");

        assertThat(cutAfter).isLessThan(SLACK_MILLIS);
        assertThat(output).doesNotContain("Commencing graceful shutdown");
    }

    /**
     * Runs the application with {@code args}, requests {@code /slow}, closes the application and
     * returns how long after the close began the server closed that connection, the response
     * never having been sent. Checks that closing the application ends too.
     */
    private static long closeWithResponseInFlight(String... args) throws Exception {
        ConfigurableApplicationContext context = run(args);
        Routes routes = context.getBean(Routes.class);
        try (Socket client = requestSlow(context.getBean(RingHttpWebServer.class).getPort(), routes)) {
            long began = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
            String received = readUntilClosed(client);
            long cutAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertThat(received).as("what the client received").doesNotContain("HTTP/1.1 200");
            closing.get(SLACK_MILLIS, TimeUnit.MILLISECONDS);
            return cutAfter;
        } finally {
            routes.slowResponse.complete("too late"); // lets nothing linger should a check above have failed
            context.close();
        }
    }

    private static ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(WebServerTestApplication.class)
                .properties(WebServerTestApplication.SMALL_SERVER)
                .properties("server.port=0", "server.address=127.0.0.1").run(args);
    }

    /** A connection whose request for {@code /slow} the route has received, its response in flight. */
    private static Socket requestSlow(int port, Routes routes) throws Exception {
        Socket client = new Socket("127.0.0.1", port);
        client.setSoTimeout(30_000);
        client.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (!routes.slowCalled.await(10, TimeUnit.SECONDS)) {
            client.close();
            fail("/slow was not called");
        }
        return client;
    }

    /** Everything the server sends until it closes the connection (a reset counts as closing). */
    private static String readUntilClosed(Socket client) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = client.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // closed by a reset rather than an orderly close; either way the server let go of it
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Waits until the server refuses new connections: it has stopped listening. */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMillis(SLACK_MILLIS).toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                new Socket("127.0.0.1", port).close();
            } catch (ConnectException refused) {
                return;
            }
            Thread.sleep(10);
        }
        fail("port " + port + " still accepts connections " + SLACK_MILLIS + " ms after the shutdown began");
    }
}
