package dev.ringhttp.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.ringhttp.autoconfigure.cluster.ClusterConfig;
import dev.ringhttp.autoconfigure.cluster.ClusterHealthIndicator;
import dev.ringhttp.autoconfigure.cluster.ClusterMetrics;
import dev.ringhttp.autoconfigure.cluster.RingHttpCluster;
import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisConnectionFactory;

class RingHttpClusterAutoConfigurationTests {

    /** A loopback port nothing listens on: the cluster starts, finds no Redis there, and keeps trying. */
    private static int closedPort;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class,
                    RingHttpClusterAutoConfiguration.class, DataRedisAutoConfiguration.class))
            .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                    "ringhttp.server.max-websocket-connections=16", "ringhttp.server.outgoing-buffer-size=1MB",
                    "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + closedPort,
                    "spring.data.redis.timeout=500ms");

    @BeforeAll
    static void findAClosedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
    }

    @Test
    void isOffByDefaultEvenWithRedis() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(RedisConnectionFactory.class).doesNotHaveBean(RingHttpCluster.class);
            WebSocketMessenger messenger = context.getBean(WebSocketMessenger.class);
            assertThat(messenger.local()).as("no relay: the messenger is its own local view").isSameAs(messenger);
        });
    }

    @Test
    void enabledWithRedisIsTheMessengersRelayAndRunsWithTheContext() {
        runner.withPropertyValues("ringhttp.cluster.enabled=true").run(context -> {
            assertThat(context).hasSingleBean(RingHttpCluster.class).hasSingleBean(ClusterHealthIndicator.class)
                    .hasSingleBean(ClusterMetrics.class);
            WebSocketMessenger messenger = context.getBean(WebSocketMessenger.class);
            assertThat(messenger.local()).isNotSameAs(messenger);
            RingHttpCluster cluster = context.getBean(RingHttpCluster.class);
            assertThat(cluster.isRunning()).isTrue();
            ClusterConfig config = cluster.config();
            assertThat(config.channelPrefix()).isEqualTo("ringhttp:");
            assertThat(config.redisChannel()).isEqualTo("ringhttp:broadcast");
            assertThat(config.maxMessageLength()).isEqualTo(64 * 1024);
            assertThat(config.publishQueueCapacity()).isEqualTo(1024);
            assertThat(config.receiveQueueCapacity()).isEqualTo(1024);
            assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.instanceId()).endsWith("-" + ProcessHandle.current().pid());
        });
    }

    @Test
    void bindsEveryClusterProperty() {
        runner.withPropertyValues("ringhttp.cluster.enabled=true", "ringhttp.cluster.channel-prefix=shop:",
                "ringhttp.cluster.instance-id=web-7", "ringhttp.cluster.publish-queue-capacity=10",
                "ringhttp.cluster.receive-queue-capacity=20", "ringhttp.cluster.heartbeat-interval=250ms",
                "ringhttp.cluster.max-reconnect-delay=2s", "ringhttp.server.max-websocket-message-size=8KB")
                .run(context -> {
                    ClusterConfig config = context.getBean(RingHttpCluster.class).config();
                    assertThat(config.redisChannel()).isEqualTo("shop:broadcast");
                    assertThat(config.instanceId()).isEqualTo("web-7");
                    assertThat(config.publishQueueCapacity()).isEqualTo(10);
                    assertThat(config.receiveQueueCapacity()).isEqualTo(20);
                    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(250));
                    assertThat(config.heartbeatTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(config.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(config.maxMessageLength()).isEqualTo(8 * 1024);
                });
    }

    @Test
    void badValuesFailStartUpNamingTheProperty() {
        assertRefused("ringhttp.cluster.instance-id=web 7", "ringhttp.cluster.instance-id",
                "It must be 1 to 64 ASCII letters, digits, '.', '_', ':' or '-'.");
        assertRefused("ringhttp.cluster.instance-id=" + "x".repeat(65), "ringhttp.cluster.instance-id", "64");
        assertRefused("ringhttp.cluster.channel-prefix=", "ringhttp.cluster.channel-prefix", "printable ASCII");
        assertRefused("ringhttp.cluster.channel-prefix=a b", "ringhttp.cluster.channel-prefix", "without spaces");
        assertRefused("ringhttp.cluster.publish-queue-capacity=0", "ringhttp.cluster.publish-queue-capacity",
                "It must be between 1 and 1048576.");
        assertRefused("ringhttp.cluster.receive-queue-capacity=-1", "ringhttp.cluster.receive-queue-capacity",
                "between 1 and");
        assertRefused("ringhttp.cluster.heartbeat-interval=5ms", "ringhttp.cluster.heartbeat-interval",
                "at least 10ms");
        assertRefused("ringhttp.cluster.max-reconnect-delay=50ms", "ringhttp.cluster.max-reconnect-delay",
                "at least 100ms");
    }

    @Test
    void enabledWithoutSpringDataRedisFailsStartUpSayingWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
                .withPropertyValues("ringhttp.cluster.enabled=true")
                .run(context -> assertThat(refusal(context)).satisfies(e -> {
                    assertThat(e.getName()).isEqualTo("ringhttp.cluster.enabled");
                    assertThat(e.getReason()).contains("add spring-boot-starter-data-redis");
                }));
    }

    @Test
    void enabledWithoutARedisConnectionFactoryFailsStartUp() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class,
                        RingHttpClusterAutoConfiguration.class))
                .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.outgoing-buffer-size=1MB",
                        "ringhttp.server.max-connections=16", "ringhttp.server.max-websocket-connections=16",
                        "ringhttp.cluster.enabled=true")
                .run(context -> assertThat(refusal(context).getReason())
                        .contains("needs one RedisConnectionFactory bean").contains("the context has 0"));
    }

    @Test
    void enabledWithAClientOtherThanLettuceFailsStartUp() {
        runner.withUserConfiguration(OtherRedisClient.class).withPropertyValues("ringhttp.cluster.enabled=true")
                .run(context -> assertThat(refusal(context).getReason()).contains("needs Spring Data Redis's Lettuce"));
    }

    @Test
    void theHealthContributorCanBeSwitchedOff() {
        runner.withPropertyValues("ringhttp.cluster.enabled=true", "management.health.ringhttp-cluster.enabled=false")
                .run(context -> assertThat(context).hasSingleBean(RingHttpCluster.class)
                        .doesNotHaveBean(ClusterHealthIndicator.class));
    }

    @Test
    void defaultInstanceIdIsTheHostNameAndProcessIdWithinTheAllowedCharacters() {
        assertThat(ClusterConfigMapper.defaultInstanceId("web-1.example.com", 42)).isEqualTo("web-1.example.com-42");
        assertThat(ClusterConfigMapper.defaultInstanceId("höst name", 7)).isEqualTo("h-st-name-7");
        assertThat(ClusterConfigMapper.defaultInstanceId(null, 7)).isEqualTo("ringhttp-7");
        assertThat(ClusterConfigMapper.defaultInstanceId("h".repeat(100), 1234567)).hasSize(40 + 8);
    }

    private void assertRefused(String property, String name, String reason) {
        runner.withPropertyValues("ringhttp.cluster.enabled=true", property).run(context -> {
            InvalidConfigurationPropertyValueException e = refusal(context);
            assertThat(e.getName()).isEqualTo(name);
            assertThat(e.getReason()).contains(reason);
        });
    }

    private static InvalidConfigurationPropertyValueException refusal(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
        assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
        return (InvalidConfigurationPropertyValueException) cause;
    }

    @Configuration(proxyBeanMethods = false)
    static class OtherRedisClient {
        @Bean
        RedisConnectionFactory otherRedisConnectionFactory() {
            return mock(RedisConnectionFactory.class);
        }
    }
}
