package dev.ringhttp.core.http.it;

import static dev.ringhttp.core.http.it.ItSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import dev.ringhttp.core.testing.RawConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Binding, addresses, the poll-driven mode, the per-poll cap and the loop-thread checks. */
class ListenTest {

    private static void answerWithAddress(HttpRequest request, HttpResponse response) {
        response.body("from " + request.remoteAddress().getAddress().getHostAddress());
    }

    private static RingHttpServer create(InetAddress address) {
        return RingHttpServer.create(ItSupport.smallConfig().address(address).port(0).build(),
                ListenTest::answerWithAddress, WebSocketHandler.NONE);
    }

    /** One GET over a plain socket to {@code address}, Connection: close; returns the body. */
    private static String fetch(InetAddress address, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(new InetSocketAddress(address, port), 5_000);
            s.getOutputStream().write(ItSupport.getClose("/").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 200 OK\r\n");
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void portZeroGivesARealPortOnIpv4Loopback() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        try (RingHttpServer server = create(v4)) {
            assertThat(server.address()).isNull();
            server.start();
            InetSocketAddress bound = server.address();
            assertThat(bound.getPort()).isBetween(1, 65_535);
            assertThat(bound.getAddress()).isEqualTo(v4);
            assertThat(server.isRunning()).isTrue();
            assertThat(fetch(v4, bound.getPort())).isEqualTo("from 127.0.0.1");
        }
    }

    @Test
    void ipv6Loopback() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        InetAddress v6 = InetAddress.getByName("::1");
        try (RingHttpServer server = create(v6)) {
            server.start();
            assertThat(server.address().getAddress()).isEqualTo(v6);
            assertThat(fetch(v6, server.address().getPort())).isEqualTo("from 0:0:0:0:0:0:0:1");
        }
    }

    @Test
    void wildcardIsDualStack() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        try (RingHttpServer server = create(null)) {
            server.start();
            int port = server.address().getPort();
            assertThat(server.address().getAddress().isAnyLocalAddress()).isTrue();
            // An IPv4 client on a dual-stack socket appears as 127.0.0.1 or its IPv4-mapped form.
            assertThat(fetch(InetAddress.getByName("127.0.0.1"), port)).endsWith("127.0.0.1");
            assertThat(fetch(InetAddress.getByName("::1"), port)).isEqualTo("from 0:0:0:0:0:0:0:1");
        }
    }

    @Test
    void pollDrivenWithoutStart() throws Exception {
        RingHttpServer server = create(InetAddress.getLoopbackAddress());
        int port = server.listen().getPort();
        assertThat(port).isPositive();
        CompletableFuture<List<String>> client = CompletableFuture.supplyAsync(() -> {
            List<String> bodies = new ArrayList<>();
            try (RawConnection c = new RawConnection(port)) {
                for (int i = 0; i < 3; i++) {
                    bodies.add(c.send(get("/")).readResponse().bodyText());
                }
                try (RawConnection other = new RawConnection(port)) {
                    bodies.add(other.send(get("/")).readResponse().bodyText());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return bodies;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int serviced = 0;
        while (!client.isDone() && System.nanoTime() - deadline < 0) {
            serviced += server.poll(10);
        }
        assertThat(client.get(0, TimeUnit.SECONDS)).containsOnly("from 127.0.0.1").hasSize(4);
        assertThat(serviced).isPositive();
        // The polling thread owns the loop: another thread may neither poll nor stage.
        CompletableFuture<Throwable> offLoop = CompletableFuture.supplyAsync(() -> {
            try {
                server.poll(0);
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(offLoop.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
        server.shutdown(java.time.Duration.ZERO);
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void maxConnectionsPerPollStillServesEveryClient() throws Exception {
        int clients = 8;
        ServerConfig config = ItSupport.smallConfig().address(InetAddress.getLoopbackAddress()).port(0)
                .maxConnectionsPerPoll(1).build();
        try (RingHttpServer server = RingHttpServer.create(config, ListenTest::answerWithAddress, WebSocketHandler.NONE)) {
            server.start();
            int port = server.address().getPort();
            CountDownLatch go = new CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try (RawConnection c = new RawConnection(port)) {
                        go.await();
                        int ok = 0;
                        for (int k = 0; k < 5; k++) {
                            if (c.send(get("/")).readResponse().status() == 200) {
                                ok++;
                            }
                        }
                        return ok;
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, pool));
            }
            go.countDown();
            try {
                for (CompletableFuture<Integer> a : answers) {
                    assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(5);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(server.counters().requests()).isEqualTo(5L * clients);
        }
    }

    @Test
    void stagingOffTheLoopThreadThrowsAndPointsToExecute() throws Exception {
        try (RingHttpServer server = create(InetAddress.getLoopbackAddress())) {
            server.start();
            assertThatThrownBy(() -> server.staging().bytes(new byte[] {1}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("execute(");
            assertThatThrownBy(() -> server.staging().utf8("x"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("execute(");
            assertThatThrownBy(() -> server.staging().length())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("execute(");
            assertThatThrownBy(() -> server.staging().broadcast(true))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("execute(");
            // On the loop, through execute(), the same call works.
            CompletableFuture<Integer> staged = new CompletableFuture<>();
            server.execute(() -> {
                server.staging().ascii("abc");
                staged.complete(server.staging().length());
                server.staging().unstage();
            });
            assertThat(staged.get(10, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(fetch(InetAddress.getLoopbackAddress(), server.address().getPort())).isEqualTo("from 127.0.0.1");
        }
    }
}
