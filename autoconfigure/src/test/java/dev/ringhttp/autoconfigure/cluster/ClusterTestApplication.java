package dev.ringhttp.autoconfigure.cluster;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * One instance of a clustered application for the cluster tests: WebSocket channels {@code /ws/feed} and
 * {@code /ws/chat}, a {@code /probe} route, ringhttp on a free loopback port, and the cluster on the
 * test's {@link RedisServer}. No component scan, so that the other test configurations stay out.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ClusterTestApplication {

    /** The Redis channel prefix of the tests: not the default, to show it is used. */
    static final String PREFIX = "ringhttp-test:";

    @Bean
    Probe probe() {
        return new Probe();
    }

    /** A member class with a {@code @Component} annotation ({@code @WsHandler}): a bean without a factory method. */
    @WsHandler("/ws/feed")
    static class Feed implements WsListener {
    }

    @WsHandler("/ws/chat")
    static class Chat implements WsListener {
    }

    static class Probe {
        @HttpRoute("/probe")
        public String probe() {
            return "ok";
        }
    }

    /** Skips where redis-server is missing, except under CI, which installs it and so must run these tests. */
    static RedisServer redis() throws Exception {
        if (!RedisServer.requiredHere()) {
            assumeThat(RedisServer.isInstalled()).as("redis-server installed (apt-get install redis-server)").isTrue();
        }
        return RedisServer.start();
    }

    /** A running instance; the properties after {@code extra} win over the defaults here. */
    static Instance start(RedisServer redis, String instanceId, String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.main.banner-mode=off",
                "ringhttp.server.address=127.0.0.1", "ringhttp.server.port=0",
                "ringhttp.server.max-connections=16", "ringhttp.server.max-websocket-connections=16",
                "ringhttp.server.outgoing-buffer-size=4MB",
                "ringhttp.cluster.enabled=true", "ringhttp.cluster.instance-id=" + instanceId,
                "ringhttp.cluster.channel-prefix=" + PREFIX,
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                "spring.data.redis.timeout=2s", "spring.data.redis.connect-timeout=1s"));
        properties.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ClusterTestApplication.class)
                .properties(properties.toArray(String[]::new)).run();
        return new Instance(context);
    }

    /** One running instance and what the tests use of it. */
    record Instance(ConfigurableApplicationContext context) implements AutoCloseable {

        int port() {
            return context.getBean(RingHttpServer.class).address().getPort();
        }

        WebSocketMessenger messenger() {
            return context.getBean(WebSocketMessenger.class);
        }

        RingHttpCluster cluster() {
            return context.getBean(RingHttpCluster.class);
        }

        ClusterCounters counters() {
            return cluster().counters();
        }

        MeterRegistry meters() {
            return context.getBean(MeterRegistry.class);
        }

        double meter(String name, String... tags) {
            return meters().get(name).tags(tags).functionCounter().count();
        }

        /** Connects a client and waits until this instance's messenger lists its session. */
        JdkWebSocket connect(String path) throws Exception {
            // By identity, not by count: a session of an earlier client may close meanwhile.
            java.util.Set<Object> before = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            before.addAll(messenger().sessions());
            JdkWebSocket client = JdkWebSocket.connect(port(), path);
            Await.until(() -> messenger().sessions().stream().anyMatch(session -> !before.contains(session)),
                    "the session on " + path + " to open");
            return client;
        }

        void awaitLink(LinkState state) throws InterruptedException {
            Await.until(() -> cluster().state() == state,
                    cluster().config().instanceId() + "'s link " + state + " (it is " + cluster().state() + ")");
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
