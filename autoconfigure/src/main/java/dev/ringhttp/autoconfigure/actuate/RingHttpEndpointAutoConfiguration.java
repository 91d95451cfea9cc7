package dev.ringhttp.autoconfigure.actuate;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.core.RingHttpServer;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code ringhttp} actuator endpoint ({@link RingHttpEndpoint}), when the
 * actuator is present and the endpoint is available: its access is not
 * {@code none} and it is exposed, for example with
 * {@code management.endpoints.web.exposure.include=health,ringhttp}.
 */
@AutoConfiguration(after = RingHttpAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, RingHttpServer.class })
@ConditionalOnBean(RingHttpServer.class)
public final class RingHttpEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    RingHttpEndpoint ringHttpEndpoint(RingHttpServer server) {
        return new RingHttpEndpoint(server);
    }
}
