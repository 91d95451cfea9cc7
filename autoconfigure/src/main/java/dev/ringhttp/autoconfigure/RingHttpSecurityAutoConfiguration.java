package dev.ringhttp.autoconfigure;

import dev.ringhttp.autoconfigure.security.RingHttpFilter;
import dev.ringhttp.autoconfigure.security.UnprotectedServerWarning;
import dev.ringhttp.core.RingHttpServer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * With Spring Security on the classpath, warns at start-up when no
 * {@link RingHttpFilter} protects the ringhttp server: Spring Security's
 * servlet filter chain does not run in front of ringhttp, so without a filter
 * of ringhttp's own, nothing is protected. How to write one with Spring
 * Security's {@code AuthenticationManager} is in the README.
 */
@AutoConfiguration(after = RingHttpAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.security.web.SecurityFilterChain", value = RingHttpServer.class)
@ConditionalOnBean(RingHttpServer.class)
public final class RingHttpSecurityAutoConfiguration {

    @Bean
    static UnprotectedServerWarning ringHttpUnprotectedServerWarning(ListableBeanFactory beans) {
        return new UnprotectedServerWarning(beans);
    }
}
