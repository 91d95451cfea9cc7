package dev.ringhttp.bench.peers.starter;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.bench.peers.LoopBroadcaster;
import dev.ringhttp.bench.peers.Payload;
import dev.ringhttp.bench.peers.PeerOptions;
import dev.ringhttp.bench.peers.RingHttpCorePeer;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * ringhttp through the Spring Boot starter, as an application would use it: {@code GET /hello} is an
 * {@code @HttpRoute} (dispatched by the starter's route table, filling a static body), {@code /ws} a
 * {@code @WsHandler}. Sized like the core peer. The broadcaster is the core peer's, run on the loop through the
 * injected {@link RingHttpServer}: the WebSocket figures measure the same server path, the HTTP figures the cost
 * of the starter's dispatch. Event loops as the core peer ({@code ringhttp.server.event-loops}).
 */
@SpringBootApplication(proxyBeanMethods = false)
public class StarterPeer {

    /** The only {@code @WsHandler}, so its channel is the first one. */
    private static final int CHANNEL = 0;
    private static final ByteBuffer HELLO = ByteBuffer.allocateDirect(Payload.HELLO_BYTES.length)
            .put(Payload.HELLO_BYTES).flip().asReadOnlyBuffer();

    public static void main(String[] args) {
        PeerOptions options = PeerOptions.fromSystemProperties();
        int frames = Math.max(options.maxPending(), 2 * LoopBroadcaster.BATCH);
        int loops = options.loopsOr(1);
        Map<String, Object> properties = new HashMap<>();
        properties.put("ringhttp.server.address", "127.0.0.1");
        properties.put("ringhttp.server.port", options.port());
        properties.put("ringhttp.server.max-connections", 1024);
        properties.put("ringhttp.server.max-websocket-connections", RingHttpCorePeer.wsConnections(loops));
        properties.put("ringhttp.server.event-loops", loops);
        properties.put("ringhttp.server.max-websocket-message-size", "1KB");
        properties.put("ringhttp.server.max-websocket-send-frames", frames);
        properties.put("ringhttp.server.outgoing-buffer-size", "64MB");
        properties.put("ringhttp.server.compress-websocket", options.compress());
        properties.put("logging.level.root", "WARN");
        // Spring Data Redis is on this classpath for the cluster peer; the starter peer measures ringhttp alone.
        properties.put("spring.autoconfigure.exclude", String.join(",",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration"));
        SpringApplication app = new SpringApplication(StarterPeer.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setDefaultProperties(properties);
        ConfigurableApplicationContext context = app.run(args);
        RingHttpServer server = context.getBean(RingHttpServer.class);
        if (options.size() > 0) {
            server.execute(new LoopBroadcaster(server, CHANNEL, options.size(), frames));
        }
        PeerOptions.ready("ringhttp-starter", server.address().getPort());
    }

    @HttpRoute("/hello")
    void hello(HttpResponse response) {
        response.contentType("text/plain").body(HELLO);
    }

    /** Accepts every upgrade on /ws; the clients only listen. */
    @WsHandler("/ws")
    static class Listeners implements WsListener {
    }
}
