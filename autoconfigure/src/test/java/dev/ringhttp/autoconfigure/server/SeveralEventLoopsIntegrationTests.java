package dev.ringhttp.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.metrics.RingHttpMetrics;
import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.autoconfigure.websocket.WsSession;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code ringhttp.server.event-loops=2} through the starter, over real sockets: routes, filters and
 * WebSocket listeners run on the loop of their connection, connections land on both loops, a session's
 * sends reach it from any thread, and broadcasts (from another thread and from a route on either loop)
 * reach the clients of both loops in order.
 */
@SpringBootTest(classes = SeveralEventLoopsIntegrationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.event-loops=2", "ringhttp.server.max-connections=128",
                "ringhttp.server.max-websocket-connections=64", "ringhttp.server.outgoing-buffer-size=1MB"})
class SeveralEventLoopsIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    RingHttpWebServer webServer;

    @Autowired
    WebSocketMessenger messenger;

    @Autowired
    Feed feed;

    @Autowired
    Routes routes;

    static class Routes {
        final ConcurrentLinkedQueue<String> wrongLoop = new ConcurrentLinkedQueue<>();
        final ObjectProvider<RingHttpWebServer> webServer;
        final ObjectProvider<WebSocketMessenger> messenger;

        Routes(ObjectProvider<RingHttpWebServer> webServer, ObjectProvider<WebSocketMessenger> messenger) {
            this.webServer = webServer;
            this.messenger = messenger;
        }

        @HttpRoute("/where")
        String where(@RequestParam int n) {
            int loop = webServer.getObject().server().currentLoop();
            if (loop < 0) {
                wrongLoop.add("a route ran off the loops");
            }
            return loop + " " + (n * 2);
        }

        @HttpRoute("/later")
        CompletableFuture<String> later() {
            return CompletableFuture.supplyAsync(() -> "later");
        }

        @HttpRoute(value = "/announce", method = HttpMethod.POST)
        String announce(@RequestParam String text) {
            messenger.getObject().broadcast("feed", text);
            return "sent from " + webServer.getObject().server().currentLoop();
        }
    }

    @WsHandler(path = "/ws/feed", channel = "feed")
    static class Feed implements WsListener {
        final Map<WsSession, Integer> loopOf = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> wrongLoop = new ConcurrentLinkedQueue<>();
        final ObjectProvider<RingHttpWebServer> webServer;

        Feed(ObjectProvider<RingHttpWebServer> webServer) {
            this.webServer = webServer;
        }

        @Override
        public void onOpen(WsSession session) {
            RingHttpServer server = webServer.getObject().server();
            loopOf.put(session, server.currentLoop());
            check(server, session);
        }

        @Override
        public void onText(WsSession session, String text) {
            check(webServer.getObject().server(), session);
            session.send("echo " + text);
        }

        private void check(RingHttpServer server, WsSession session) {
            if (server.currentLoop() != server.loopOfWebSocket(session.id())) {
                wrongLoop.add("session " + session.id() + " served on loop " + server.currentLoop());
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Routes routes(ObjectProvider<RingHttpWebServer> webServer, ObjectProvider<WebSocketMessenger> messenger) {
            return new Routes(webServer, messenger);
        }

        @Bean
        Feed feed(ObjectProvider<RingHttpWebServer> webServer) {
            return new Feed(webServer);
        }
    }

    @Test
    void runsTwoLoopsAndRoutesOnBothWithCorrectAnswers() throws Exception {
        assertThat(webServer.server().eventLoops()).isEqualTo(2);
        Set<Integer> loops = new TreeSet<>();
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 48; i++) {
                RawConnection c = new RawConnection(port);
                open.add(c);
                RawResponse r = c.send("GET /where?n=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
                String[] loopAndAnswer = new String(r.body(), StandardCharsets.UTF_8).split(" ");
                assertThat(loopAndAnswer[1]).isEqualTo(Integer.toString(2 * i));
                loops.add(Integer.parseInt(loopAndAnswer[0]));
                RawResponse later = c.send("GET /later HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
                assertThat(new String(later.body(), StandardCharsets.UTF_8)).isEqualTo("later");
            }
        } finally {
            for (RawConnection c : open) {
                c.close();
            }
        }
        assertThat(loops).as("loops that answered").containsExactly(0, 1);
        assertThat(routes.wrongLoop).isEmpty();
    }

    @Test
    void sessionsOnBothLoopsGetTheirSendsAndEveryBroadcastInOrder() throws Exception {
        List<JdkWebSocket> clients = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // The kernel spreads connections by their ports: open until both loops have a few.
            while (new TreeSet<>(feed.loopOf.values()).size() < 2 || clients.size() < 8) {
                clients.add(JdkWebSocket.connect(port, "/ws/feed"));
                awaitSessions(clients.size());
                assertThat(System.nanoTime() - deadline).as("sessions on both loops in time").isNegative();
            }
            // Operators see how the loops share the connections.
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RingHttpMetrics(webServer.server()).bindTo(registry);
            double loop0 = registry.get("ringhttp.loop.connections.active").tags("type", "websocket", "loop", "0").gauge()
                    .value();
            double loop1 = registry.get("ringhttp.loop.connections.active").tags("type", "websocket", "loop", "1").gauge()
                    .value();
            assertThat(loop0).isPositive();
            assertThat(loop1).isPositive();
            assertThat(loop0 + loop1).isEqualTo(clients.size());
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).sendText("c" + i);
                assertThat(clients.get(i).nextText()).isEqualTo("echo c" + i);
            }
            Thread producer = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    messenger.broadcast("feed", "m" + i);
                }
            });
            producer.start();
            for (JdkWebSocket c : clients) {
                for (int i = 0; i < 200; i++) {
                    assertThat(c.nextText()).isEqualTo("m" + i);
                }
            }
            // A route broadcasts from whichever loop took its connection: every client of both loops gets it.
            for (int i = 0; i < 4; i++) {
                try (RawConnection c = new RawConnection(port)) {
                    c.send("POST /announce?text=a" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                            .readResponse();
                }
                for (JdkWebSocket client : clients) {
                    assertThat(client.nextText()).isEqualTo("a" + i);
                }
            }
            assertThat(feed.wrongLoop).isEmpty();
        } finally {
            for (JdkWebSocket c : clients) {
                c.webSocket().abort();
            }
        }
    }

    private void awaitSessions(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (feed.loopOf.size() < n && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
    }
}
