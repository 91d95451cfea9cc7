package dev.ringhttp.bench.peers.cluster;

import dev.ringhttp.autoconfigure.cluster.ClusterCounters;
import dev.ringhttp.autoconfigure.cluster.DropReason;
import dev.ringhttp.autoconfigure.cluster.LinkState;
import dev.ringhttp.autoconfigure.cluster.RingHttpCluster;
import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.bench.peers.Payload;
import dev.ringhttp.bench.peers.PeerOptions;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One instance of a clustered starter application for the cluster workload: {@code /ws} is a {@code @WsHandler}
 * whose clients only listen, and the cluster shares broadcasts through the redis-server on
 * {@code bench.redisPort} as instance {@code bench.instance}. With {@code bench.size > 0} a thread broadcasts
 * {@link Payload} messages through the {@link WebSocketMessenger}, as an application would: at
 * {@code bench.rate} messages per second, or with {@code bench.rate=0} as fast as the cluster takes them (it
 * keeps at most half the publish queue's capacity of broadcasts in flight, so none is dropped for a full queue),
 * from the moment the cluster link is up.
 * {@code GET /cluster} answers the cluster's counters as {@code name=value} lines.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class ClusterPeer {

    static final String PATH = "/ws";
    private static final ByteBuffer HELLO = ByteBuffer.allocateDirect(Payload.HELLO_BYTES.length)
            .put(Payload.HELLO_BYTES).flip().asReadOnlyBuffer();

    private final RingHttpCluster cluster;

    public ClusterPeer(RingHttpCluster cluster) {
        this.cluster = cluster;
    }

    public static void main(String[] args) {
        PeerOptions options = PeerOptions.fromSystemProperties();
        int rate = Integer.getInteger("bench.rate", 0);
        Map<String, Object> properties = new HashMap<>();
        properties.put("ringhttp.server.address", "127.0.0.1");
        properties.put("ringhttp.server.port", options.port());
        properties.put("ringhttp.server.max-connections", 1024);
        properties.put("ringhttp.server.max-websocket-connections", 1024);
        properties.put("ringhttp.server.max-websocket-message-size", "1KB");
        properties.put("ringhttp.server.max-websocket-send-frames", options.maxPending());
        properties.put("ringhttp.server.outgoing-buffer-size", "64MB");
        // The load clients never answer pings; the run is longer than the default minute of silence.
        properties.put("ringhttp.server.websocket-idle-timeout", "0s");
        properties.put("ringhttp.cluster.enabled", true);
        properties.put("ringhttp.cluster.instance-id", System.getProperty("bench.instance", "bench"));
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", Integer.getInteger("bench.redisPort", 6379));
        properties.put("spring.data.redis.repositories.enabled", false);
        properties.put("logging.level.root", "WARN");
        SpringApplication app = new SpringApplication(ClusterPeer.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setDefaultProperties(properties);
        ConfigurableApplicationContext context = app.run(args);
        RingHttpServer server = context.getBean(RingHttpServer.class);
        if (options.size() > 0) {
            Thread broadcaster = new Thread(new Broadcaster(context.getBean(WebSocketMessenger.class),
                    context.getBean(RingHttpCluster.class), options.size(), rate), "broadcaster");
            broadcaster.setDaemon(true);
            broadcaster.start();
        }
        PeerOptions.ready("ringhttp-cluster", server.address().getPort());
    }

    @HttpRoute("/hello")
    void hello(HttpResponse response) {
        response.contentType("text/plain").body(HELLO);
    }

    @HttpRoute("/cluster")
    String counters() {
        ClusterCounters c = cluster.counters();
        return "state=" + cluster.state() + "\npublished=" + c.published() + "\nreceived=" + c.received()
                + "\nfailed=" + c.failed() + "\ndropped=" + c.dropped()
                + "\ndroppedPublishQueueFull=" + c.dropped(DropReason.PUBLISH_QUEUE_FULL)
                + "\ndroppedReceiveQueueFull=" + c.dropped(DropReason.RECEIVE_QUEUE_FULL) + "\n";
    }

    /** Accepts every upgrade on /ws; the clients only listen. */
    @WsHandler(PATH)
    static class Listeners implements WsListener {
    }

    /** Broadcasts stamped messages from its own thread, paced by a rate or by the cluster's progress. */
    static final class Broadcaster implements Runnable {

        private final WebSocketMessenger messenger;
        private final RingHttpCluster cluster;
        private final byte[] template;
        private final int rate;
        private final long window;

        Broadcaster(WebSocketMessenger messenger, RingHttpCluster cluster, int size, int rate) {
            this.messenger = messenger;
            this.cluster = cluster;
            this.template = Payload.template(size);
            this.rate = rate;
            this.window = cluster.config().publishQueueCapacity() / 2;
        }

        @Override
        public void run() {
            while (cluster.state() != LinkState.UP) {
                LockSupport.parkNanos(10_000_000); // what would be broadcast before would only reach A's clients
            }
            long sent = 0;
            long start = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                if (rate > 0) {
                    long due = start + sent * TimeUnit.SECONDS.toNanos(1) / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                } else {
                    // Every broadcast ends as published, failed or dropped: the rest are on the loop or queued.
                    ClusterCounters c = cluster.counters();
                    if (sent - (c.published() + c.failed() + c.dropped()) >= window) {
                        LockSupport.parkNanos(20_000);
                        continue;
                    }
                }
                byte[] message = Payload.stamped(template);
                messenger.broadcast(PATH, new String(message, StandardCharsets.US_ASCII));
                sent++;
            }
        }
    }
}
