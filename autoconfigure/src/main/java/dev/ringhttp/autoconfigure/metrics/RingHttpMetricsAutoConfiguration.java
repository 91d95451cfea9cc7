package dev.ringhttp.autoconfigure.metrics;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.autoconfigure.route.BlockingExecutor;
import dev.ringhttp.autoconfigure.route.RouteObserver;
import dev.ringhttp.core.RingHttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics for the ringhttp server, when micrometer-core is present
 * and the application has a {@link MeterRegistry}: the server's counters as
 * {@code ringhttp.*} meters ({@link RingHttpMetrics}, bound by Boot like any
 * {@code MeterBinder}) and the {@code ringhttp.requests} timer
 * ({@link MicrometerRouteObserver}, which the route dispatcher picks up as its
 * {@link RouteObserver}), and the executor of blocking routes
 * ({@link BlockingRouteMetrics}).
 */
@AutoConfiguration(after = RingHttpAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ MeterRegistry.class, RingHttpServer.class })
@ConditionalOnBean({ MeterRegistry.class, RingHttpServer.class })
public final class RingHttpMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RingHttpMetrics ringHttpMetrics(RingHttpServer server) {
        return new RingHttpMetrics(server);
    }

    @Bean
    @ConditionalOnBean(BlockingExecutor.class)
    @ConditionalOnMissingBean
    BlockingRouteMetrics ringHttpBlockingRouteMetrics(BlockingExecutor executor) {
        return new BlockingRouteMetrics(executor);
    }

    @Bean
    @ConditionalOnMissingBean(RouteObserver.class)
    MicrometerRouteObserver ringHttpRouteObserver(MeterRegistry registry) {
        return new MicrometerRouteObserver(registry);
    }
}
