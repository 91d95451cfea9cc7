package dev.ringhttp.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.cluster.ClusterTestApplication.Instance;
import dev.ringhttp.autoconfigure.websocket.WsSession;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.JdkWebSocket.Message;
import dev.ringhttp.core.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Two instances of one application on two ports, sharing one real redis-server, with WebSocket clients on
 * each: what is broadcast on one instance reaches every client of both, byte for byte, in order, once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterBroadcastIntegrationTests {

    private RedisServer redis;
    private Instance a;
    private Instance b;

    @BeforeAll
    void start() throws Exception {
        redis = ClusterTestApplication.redis();
        a = ClusterTestApplication.start(redis, "node-a");
        b = ClusterTestApplication.start(redis, "node-b");
        a.awaitLink(LinkState.UP);
        b.awaitLink(LinkState.UP);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void broadcastsOnOneInstanceReachEveryClientOfBothByteForByteInOrderAndOnce() throws Exception {
        JdkWebSocket feedA = a.connect("/ws/feed");
        JdkWebSocket chatA = a.connect("/ws/chat");
        JdkWebSocket feedB1 = b.connect("/ws/feed");
        JdkWebSocket feedB2 = b.connect("/ws/feed");
        JdkWebSocket chatB = b.connect("/ws/chat");
        long publishedBefore = a.counters().published();
        long receivedBefore = b.counters().received();
        long droppedBefore = a.counters().dropped() + b.counters().dropped();
        long failedBefore = a.counters().failed() + b.counters().failed();

        // Text to the feed, binary to the chat, text to every channel now and then: sequence-numbered,
        // random sizes up to 8 KiB, multi-byte UTF-8 in the text, every byte value in the binary.
        List<Message> toFeed = new ArrayList<>();
        List<Message> toChat = new ArrayList<>();
        Random random = new Random(15);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 600; i++) {
                if (i % 50 == 49) {
                    String all = "all-" + i + "-" + "ü".repeat(random.nextInt(100));
                    toFeed.add(new Message(true, all.getBytes(StandardCharsets.UTF_8)));
                    toChat.add(new Message(true, all.getBytes(StandardCharsets.UTF_8)));
                    a.messenger().broadcastAll(all);
                } else if (i % 2 == 0) {
                    String text = "feed-" + i + ":" + "€x".repeat(random.nextInt(1400));
                    toFeed.add(new Message(true, text.getBytes(StandardCharsets.UTF_8)));
                    a.messenger().broadcast("/ws/feed", text);
                } else {
                    byte[] data = new byte[4 + random.nextInt(8192)];
                    random.nextBytes(data);
                    data[0] = (byte) (i >> 8);
                    data[1] = (byte) i;
                    toChat.add(new Message(false, data));
                    a.messenger().broadcast("/ws/chat", data);
                }
            }
        }, "producer");
        producer.start();
        producer.join();

        for (JdkWebSocket client : List.of(feedB1, feedB2, feedA)) {
            assertReceives(client, toFeed);
        }
        for (JdkWebSocket client : List.of(chatB, chatA)) {
            assertReceives(client, toChat);
        }

        // Once: the broadcasts came back to node-a through Redis before node-b's marker, which node-b sent
        // after it had them all; a second delivery on node-a would have reached its clients before the marker.
        b.messenger().broadcastAll("marker");
        for (JdkWebSocket client : List.of(feedA, chatA, feedB1, feedB2, chatB)) {
            assertThat(client.nextText()).isEqualTo("marker");
            assertThat(client.messages()).isEmpty();
        }
        assertThat(a.counters().published() - publishedBefore).isEqualTo(600);
        assertThat(b.counters().received() - receivedBefore).isEqualTo(600);
        assertThat(a.counters().dropped() + b.counters().dropped()).isEqualTo(droppedBefore);
        assertThat(a.counters().failed() + b.counters().failed()).isEqualTo(failedBefore);
        closeAll(feedA, chatA, feedB1, feedB2, chatB);
    }

    @Test
    void localBroadcastsAndSessionSendsStayOnTheirInstance() throws Exception {
        JdkWebSocket feedA = a.connect("/ws/feed");
        JdkWebSocket feedB = b.connect("/ws/feed");
        WsSession sessionA = a.messenger().sessions().get(0);

        a.messenger().local().broadcast("/ws/feed", "only on a");
        sessionA.send("only for this session");
        a.messenger().broadcast("/ws/feed", "everywhere");

        assertThat(feedA.nextText()).isEqualTo("only on a");
        assertThat(feedA.nextText()).isEqualTo("only for this session");
        assertThat(feedA.nextText()).isEqualTo("everywhere");
        assertThat(feedB.nextText()).isEqualTo("everywhere");
        closeAll(feedA, feedB);
    }

    @Test
    void dropsAndCountsWhatDoesNotDecodeOrHasNoChannelHereAndDeliversTheRest() throws Exception {
        JdkWebSocket feedA = a.connect("/ws/feed");
        JdkWebSocket feedB = b.connect("/ws/feed");
        long malformed = b.counters().dropped(DropReason.MALFORMED);
        long oversize = b.counters().dropped(DropReason.OVERSIZE);
        long unknown = b.counters().dropped(DropReason.UNKNOWN_CHANNEL);
        String channel = a.cluster().config().redisChannel();
        int limit = a.cluster().config().maxMessageLength();
        EnvelopeCodec stranger = new EnvelopeCodec("node-x", 42, limit + 1);

        assertThat(redis.publish(channel, "not an envelope".getBytes(StandardCharsets.UTF_8))).isEqualTo(2);
        byte[] badText = stranger.encode("/ws/feed", new byte[] {'o', 'k'}, true);
        badText[badText.length - 1] = (byte) 0xC0; // "o" then an overlong lead byte: not UTF-8
        redis.publish(channel, badText);
        redis.publish(channel, stranger.encode("/ws/feed", new byte[limit + 1], false));
        redis.publish(channel, stranger.encode("/ws/nowhere", "lost".getBytes(StandardCharsets.UTF_8), true));
        redis.publish(channel, stranger.encode("/ws/feed", "from x".getBytes(StandardCharsets.UTF_8), true));

        for (JdkWebSocket client : List.of(feedA, feedB)) {
            assertThat(client.nextText()).isEqualTo("from x");
        }
        assertThat(b.counters().dropped(DropReason.MALFORMED) - malformed).isEqualTo(2);
        assertThat(b.counters().dropped(DropReason.OVERSIZE) - oversize).isEqualTo(1);
        assertThat(b.counters().dropped(DropReason.UNKNOWN_CHANNEL) - unknown).isEqualTo(1);
        assertThat(b.meter("ringhttp.cluster.messages.dropped", "reason", "malformed")).isEqualTo(
                (double) b.counters().dropped(DropReason.MALFORMED));
        closeAll(feedA, feedB);
    }

    @Test
    void reportsTheLinkAsHealthAndMeters() throws Exception {
        Health health = a.context().getBean(ClusterHealthIndicator.class).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("state", "UP").containsEntry("instanceId", "node-a")
                .containsEntry("redisChannel", "ringhttp-test:broadcast").containsKeys("lastHeartbeat", "published");
        assertThat(a.meters().get("ringhttp.cluster.link.up").gauge().value()).isEqualTo(1.0);
        a.messenger().broadcast("/ws/chat", "counted");
        Await.until(() -> a.meter("ringhttp.cluster.messages.published") == a.counters().published()
                && b.meter("ringhttp.cluster.messages.received") == b.counters().received()
                && b.counters().received() > 0, "the meters to follow the counters");
        assertThat(a.meters().find("ringhttp.cluster.messages.dropped").functionCounters())
                .hasSize(DropReason.values().length);
    }

    private static void assertReceives(JdkWebSocket client, List<Message> expected) throws InterruptedException {
        for (int i = 0; i < expected.size(); i++) {
            Message got = client.next();
            Message want = expected.get(i);
            assertThat(got.text()).as("message " + i + " is text").isEqualTo(want.text());
            assertThat(got.data()).as("message " + i).isEqualTo(want.data());
        }
    }

    private static void closeAll(JdkWebSocket... clients) {
        for (JdkWebSocket c : clients) {
            c.close();
        }
    }
}
