package dev.ringhttp.autoconfigure.actuate;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.core.RingHttpServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code ringhttp} health contributor ({@link RingHttpHealthIndicator}),
 * when spring-boot-health is present and
 * {@code management.health.ringhttp.enabled} is not {@code false}.
 */
@AutoConfiguration(after = RingHttpAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, RingHttpServer.class })
@ConditionalOnBean(RingHttpServer.class)
@ConditionalOnEnabledHealthIndicator("ringhttp")
public final class RingHttpHealthContributorAutoConfiguration {

    /** Named so that the contributor is called {@code ringhttp}. */
    @Bean
    @ConditionalOnMissingBean(name = "ringhttpHealthIndicator")
    RingHttpHealthIndicator ringhttpHealthIndicator(RingHttpServer server) {
        return new RingHttpHealthIndicator(server);
    }
}
