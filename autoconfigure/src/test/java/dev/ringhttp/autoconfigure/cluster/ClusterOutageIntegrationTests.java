package dev.ringhttp.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.cluster.ClusterTestApplication.Instance;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/**
 * Redis goes away and comes back on the same port: local delivery goes on meanwhile, the event loop keeps
 * answering, the meters count what did not cross, and cross-instance delivery resumes by itself.
 */
class ClusterOutageIntegrationTests {

    /** Quick detection and recovery, a small queue so that a burst overflows it, a 2 s Redis command timeout. */
    private static final String[] FAST_LINK = {"ringhttp.cluster.heartbeat-interval=200ms",
            "ringhttp.cluster.max-reconnect-delay=500ms", "ringhttp.cluster.publish-queue-capacity=64"};

    private static final int DURING_OUTAGE = 2000;
    /** Fewer than the publish queue holds, so that none is dropped once Redis is back. */
    private static final int AFTER_OUTAGE = 50;

    @Test
    void localDeliveryGoesOnWhileRedisIsDownAndCrossInstanceDeliveryResumesWhenItIsBack() throws Exception {
        try (RedisServer redis = ClusterTestApplication.redis();
                Instance a = ClusterTestApplication.start(redis, "node-a", FAST_LINK);
                Instance b = ClusterTestApplication.start(redis, "node-b", FAST_LINK)) {
            a.awaitLink(LinkState.UP);
            b.awaitLink(LinkState.UP);
            JdkWebSocket feedA = a.connect("/ws/feed");
            JdkWebSocket feedB = b.connect("/ws/feed");
            a.messenger().broadcast("/ws/feed", "before");
            assertThat(feedA.nextText()).isEqualTo("before");
            assertThat(feedB.nextText()).isEqualTo("before");

            redis.stop();

            for (int i = 0; i < DURING_OUTAGE; i++) {
                a.messenger().broadcast("/ws/feed", "down-" + i);
            }
            for (int i = 0; i < DURING_OUTAGE; i++) {
                assertThat(feedA.nextText()).isEqualTo("down-" + i);
            }
            assertProbeAnsweredFast(a);
            Await.until(() -> a.meter("ringhttp.cluster.messages.dropped", "reason", "publish-queue-full") > 0
                    && a.meter("ringhttp.cluster.messages.failed") > 0, "the drop and failure meters to count");
            Await.until(() -> a.cluster().state() != LinkState.UP && b.cluster().state() != LinkState.UP,
                    "both links to leave UP");
            assertThat(a.context().getBean(ClusterHealthIndicator.class).health(true).getStatus())
                    .isEqualTo(Status.DOWN);
            assertProbeAnsweredFast(a);

            redis.restart();

            assertThat(Await.holds(() -> a.cluster().state() == LinkState.UP
                    && b.cluster().state() == LinkState.UP, 30_000))
                    .as("both links back UP within 30 s; they are " + a.cluster().state() + " and "
                            + b.cluster().state()).isTrue();
            // What waited in node-a's queue when Redis came back goes first; then the queue has room for these.
            Await.until(() -> a.cluster().publishQueued() == 0, "node-a's publish queue to drain");
            for (int i = 0; i < AFTER_OUTAGE; i++) {
                a.messenger().broadcast("/ws/feed", "up-" + i);
            }
            for (int i = 0; i < AFTER_OUTAGE; i++) {
                assertThat(feedA.nextText()).isEqualTo("up-" + i);
            }
            assertOutageMessagesThenEveryNewOneInOrder(feedB);
            b.messenger().broadcast("/ws/feed", "from b");
            assertThat(feedA.nextText()).isEqualTo("from b");
            assertThat(a.context().getBean(ClusterHealthIndicator.class).health(true).getStatus())
                    .isEqualTo(Status.UP);
            feedA.close();
            feedB.close();
        }
    }

    @Test
    void aRedisThatHangsNeverStallsTheLoopAndTheLinkLagsWithoutResubscribing() throws Exception {
        try (RedisServer redis = ClusterTestApplication.redis();
                Instance a = ClusterTestApplication.start(redis, "node-a", FAST_LINK);
                Instance b = ClusterTestApplication.start(redis, "node-b", FAST_LINK)) {
            a.awaitLink(LinkState.UP);
            b.awaitLink(LinkState.UP);
            JdkWebSocket feedA = a.connect("/ws/feed");
            JdkWebSocket feedB = b.connect("/ws/feed");
            assertProbeAnsweredFast(a);
            long subscriptions = a.counters().subscriptions();

            // Redis keeps every connection open but answers no command for 4 s, longer than the 2 s command
            // timeout: a publish waits as long as Redis lets it. The loop must not.
            assertThat(redis.command("CLIENT PAUSE 4000 ALL")).isEqualTo("+OK");
            for (int i = 0; i < 100; i++) {
                a.messenger().broadcast("/ws/feed", "paused-" + i);
            }
            for (int i = 0; i < 100; i++) {
                assertThat(feedA.nextText()).isEqualTo("paused-" + i);
            }
            assertProbeAnsweredFast(a);
            Await.until(() -> a.cluster().state() == LinkState.LAGGING, "node-a's link to lag");

            assertThat(Await.holds(() -> a.cluster().state() == LinkState.UP
                    && b.cluster().state() == LinkState.UP, 30_000)).as("both links UP again").isTrue();
            assertThat(a.counters().subscriptions()).as("a slow Redis is waited for, not resubscribed to")
                    .isEqualTo(subscriptions);
            Await.until(() -> a.cluster().publishQueued() == 0, "node-a's publish queue to drain");
            a.messenger().broadcast("/ws/feed", "resumed");
            assertThat(feedA.nextText()).isEqualTo("resumed");
            String message = feedB.nextText();
            while (message.startsWith("paused-")) { // those Redis took once it answered again: late, in order
                message = feedB.nextText();
            }
            assertThat(message).isEqualTo("resumed");
            feedA.close();
            feedB.close();
        }
    }

    @Test
    void instancesStartedWhileRedisIsDownServeLocallyAndJoinWhenItComesUp() throws Exception {
        try (RedisServer redis = ClusterTestApplication.redis()) {
            redis.stop();
            try (Instance a = ClusterTestApplication.start(redis, "node-a", FAST_LINK);
                    Instance b = ClusterTestApplication.start(redis, "node-b", FAST_LINK)) {
                a.awaitLink(LinkState.DOWN);
                assertThat(a.cluster().problem()).startsWith("subscribing to ringhttp-test:broadcast failed");
                JdkWebSocket feedA = a.connect("/ws/feed");
                JdkWebSocket feedB = b.connect("/ws/feed");
                a.messenger().broadcast("/ws/feed", "alone");
                assertThat(feedA.nextText()).isEqualTo("alone");
                assertProbeAnsweredFast(a);

                redis.restart();

                assertThat(Await.holds(() -> a.cluster().state() == LinkState.UP
                        && b.cluster().state() == LinkState.UP, 30_000))
                        .as("both links UP within 30 s; they are " + a.cluster().state() + " and "
                                + b.cluster().state()).isTrue();
                assertThat(a.counters().subscriptions()).isEqualTo(1);
                Await.until(() -> a.cluster().publishQueued() == 0, "node-a's publish queue to drain");
                a.messenger().broadcast("/ws/feed", "together");
                assertThat(feedA.nextText()).isEqualTo("together");
                String first = feedB.nextText();
                if (first.equals("alone")) { // still queued at node-a when Redis came up: late, but once and in order
                    first = feedB.nextText();
                }
                assertThat(first).isEqualTo("together");
                feedA.close();
                feedB.close();
            }
        }
    }

    /**
     * node-b may still get some of the broadcasts made during the outage (those waiting in node-a's queue when
     * Redis came back), each at most once and in order; then every broadcast made after, in order.
     */
    private static void assertOutageMessagesThenEveryNewOneInOrder(JdkWebSocket client) throws InterruptedException {
        List<String> early = new ArrayList<>();
        String message = client.nextText();
        while (message.startsWith("down-")) {
            early.add(message);
            message = client.nextText();
        }
        List<Integer> numbers = early.stream().map(m -> Integer.parseInt(m.substring("down-".length()))).toList();
        assertThat(numbers).as("outage broadcasts that crossed late").isSorted().doesNotHaveDuplicates();
        assertThat(message).isEqualTo("up-0");
        for (int i = 1; i < AFTER_OUTAGE; i++) {
            assertThat(client.nextText()).isEqualTo("up-" + i);
        }
    }

    /** One client for every probe, so that its own start (threads, classes) is not timed as the server's answer. */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * A request to the instance is answered well within Redis's command timeout (2 s): nothing on the event
     * loop waits for Redis. The first request, which also warms the client up, is not timed.
     */
    private static void assertProbeAnsweredFast(Instance instance) throws Exception {
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/probe"))
                .timeout(Duration.ofSeconds(5)).build();
        assertThat(HTTP.send(probe, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = HTTP.send(probe, HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(response.body()).isEqualTo("ok");
            assertThat(millis).as("probe answered in ms").isLessThan(1000);
        }
    }
}
