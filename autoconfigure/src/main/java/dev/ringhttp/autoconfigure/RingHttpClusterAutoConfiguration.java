package dev.ringhttp.autoconfigure;

import dev.ringhttp.autoconfigure.cluster.ClusterConfig;
import dev.ringhttp.autoconfigure.cluster.ClusterHealthIndicator;
import dev.ringhttp.autoconfigure.cluster.ClusterMetrics;
import dev.ringhttp.autoconfigure.cluster.RingHttpCluster;
import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.autoconfigure.websocket.WsEndpoints;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Cluster broadcast ({@link RingHttpCluster}) when {@code ringhttp.cluster.enabled=true}: the
 * {@link WebSocketMessenger}'s broadcasts are published through the application's
 * {@link RedisConnectionFactory} (Boot's, from {@code spring.data.redis.*}) and the other instances'
 * are delivered here. The cluster is the messenger's relay, so it must exist before the messenger is
 * built: it is found by type when the messenger is.
 *
 * <p>Enabled without Redis, start-up fails naming {@code ringhttp.cluster.enabled} and what is missing,
 * rather than running unclustered while the configuration says otherwise: without Spring Data Redis on
 * the classpath, without a single {@code RedisConnectionFactory}, or with a client other than Lettuce
 * (Jedis subscribes by blocking the subscribing thread for as long as the subscription lasts).
 */
@AutoConfiguration(after = RingHttpAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnProperty(prefix = "ringhttp.cluster", name = "enabled", havingValue = "true")
@ConditionalOnBean(RingHttpServer.class)
@EnableConfigurationProperties(RingHttpClusterProperties.class)
public final class RingHttpClusterAutoConfiguration {

    private static final String ENABLED = "ringhttp.cluster.enabled";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(RedisConnectionFactory.class)
    static class RedisClusterConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RingHttpCluster ringHttpCluster(RingHttpClusterProperties properties, ServerConfig serverConfig,
                ObjectProvider<RedisConnectionFactory> redis, RingHttpServer server, WsEndpoints endpoints) {
            RedisConnectionFactory factory = redis.getIfUnique();
            if (factory == null) {
                throw new InvalidConfigurationPropertyValueException(ENABLED, true, "The cluster needs one"
                        + " RedisConnectionFactory bean (Boot makes one from spring.data.redis.* with"
                        + " spring-boot-starter-data-redis); the context has " + redis.stream().count() + ".");
            }
            if (!(factory instanceof LettuceConnectionFactory)) {
                throw new InvalidConfigurationPropertyValueException(ENABLED, true, "The cluster needs Spring Data"
                        + " Redis's Lettuce client (Boot's default); the RedisConnectionFactory is a "
                        + factory.getClass().getName() + ".");
            }
            ClusterConfig config = ClusterConfigMapper.toClusterConfig(properties, serverConfig.maxWsMessageLength());
            return new RingHttpCluster(config, factory, server, endpoints::channelId);
        }

        /** Named so that the contributor is called {@code ringhttpCluster}. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(HealthIndicator.class)
        @ConditionalOnEnabledHealthIndicator("ringhttp-cluster")
        static class ClusterHealthConfiguration {

            @Bean
            @ConditionalOnMissingBean(name = "ringhttpClusterHealthIndicator")
            ClusterHealthIndicator ringhttpClusterHealthIndicator(RingHttpCluster cluster) {
                return new ClusterHealthIndicator(cluster);
            }
        }

        /** Bound to the application's registries by Boot, as any {@link MeterBinder} bean. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(MeterBinder.class)
        static class ClusterMetricsConfiguration {

            @Bean
            @ConditionalOnMissingBean
            ClusterMetrics ringHttpClusterMetrics(RingHttpCluster cluster) {
                return new ClusterMetrics(cluster);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
    static class MissingRedisConfiguration {

        /** Fails start-up: the configuration asks for a cluster the classpath cannot provide. */
        @Bean
        Object ringHttpClusterNeedsRedis() {
            throw new InvalidConfigurationPropertyValueException(ENABLED, true, "The cluster needs Spring Data"
                    + " Redis: add spring-boot-starter-data-redis and point spring.data.redis.* at the Redis the"
                    + " instances share.");
        }
    }
}
