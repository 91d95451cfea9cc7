package dev.ringhttp.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ringhttp.autoconfigure.cluster.LinkState;
import dev.ringhttp.autoconfigure.cluster.RingHttpCluster;
import dev.ringhttp.core.ConnectionType;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.testing.Await;
import dev.ringhttp.core.testing.JdkWebSocket;
import dev.ringhttp.core.testing.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample's {@code cluster} profile, as the README runs it: two instances on two ports with one Redis
 * share the chat; each dashboard's counters stay its own instance's.
 */
class ClusterProfileTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void twoInstancesShareTheChatThroughRedis() throws Exception {
        if (!RedisServer.requiredHere()) {
            assumeThat(RedisServer.isInstalled()).as("redis-server installed").isTrue();
        }
        try (RedisServer redis = RedisServer.start();
                ConfigurableApplicationContext a = start(redis, "sample-a");
                ConfigurableApplicationContext b = start(redis, "sample-b")) {
            Await.until(() -> linkOf(a) == LinkState.UP && linkOf(b) == LinkState.UP, "both links up");
            try (JdkWebSocket alice = JdkWebSocket.connect(port(a), "/ws/chat?token=" + chatToken(a));
                    JdkWebSocket bob = JdkWebSocket.connect(port(b), "/ws/chat")) {
                Await.until(() -> openWebSockets(a) == 1 && openWebSockets(b) == 1, "both chat sessions open");
                alice.sendText("hello from a");

                for (JdkWebSocket receiver : new JdkWebSocket[] {alice, bob}) {
                    JsonNode message = JSON.readTree(receiver.nextText());
                    assertThat(message.get("text").asString()).isEqualTo("hello from a");
                    assertThat(message.get("from").asString()).matches("guest-\\d+@sample-a");
                }
            }
            // The whole, the cluster link, and Redis itself, which the profile checks.
            for (String path : new String[] {"", "/ringhttpCluster", "/redis"}) {
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port(b) + "/actuator/health" + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as("/actuator/health" + path).isEqualTo(200);
                assertThat(JSON.readTree(health.body()).get("status").asString()).isEqualTo("UP");
            }
        }
    }

    private static ConfigurableApplicationContext start(RedisServer redis, String instanceId) {
        return new SpringApplicationBuilder(SampleApplication.class).profiles("cluster").run(
                "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--ringhttp.server.max-connections=8", "--ringhttp.server.max-websocket-connections=8",
                "--ringhttp.server.outgoing-buffer-size=1MB", "--ringhttp.cluster.instance-id=" + instanceId,
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port(),
                "--management.endpoint.health.show-components=always"); // so that one component can be asked for
    }

    private static LinkState linkOf(ConfigurableApplicationContext context) {
        return context.getBean(RingHttpCluster.class).state();
    }

    private static long openWebSockets(ConfigurableApplicationContext context) {
        return context.getBean(RingHttpServer.class).counters().active(ConnectionType.WEBSOCKET);
    }

    private static int port(ConfigurableApplicationContext context) {
        return context.getBean(RingHttpServer.class).address().getPort();
    }

    /** The chat's posting token, as the instance was configured ({@code sample.chat.token}). */
    private static String chatToken(ConfigurableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("sample.chat.token");
    }
}
