package dev.ringhttp.autoconfigure.actuate;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.autoconfigure.route.RouteDispatcher;
import dev.ringhttp.core.RingHttpServer;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.web.mappings.MappingDescriptionProvider;
import org.springframework.boot.actuate.web.mappings.MappingsEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * ringhttp's routes, WebSocket paths and static files in Boot's
 * {@code /actuator/mappings}, through a {@link MappingDescriptionProvider}
 * that the mappings endpoint collects.
 */
@AutoConfiguration(after = RingHttpAutoConfiguration.class)
@ConditionalOnClass({ MappingsEndpoint.class, ConditionalOnAvailableEndpoint.class, RingHttpServer.class })
@ConditionalOnBean(RouteDispatcher.class)
@ConditionalOnAvailableEndpoint(MappingsEndpoint.class)
@ImportRuntimeHints(RingHttpMappingDescriptionProvider.MappingsRuntimeHints.class)
public final class RingHttpMappingsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RingHttpMappingDescriptionProvider ringHttpMappingDescriptionProvider() {
        return new RingHttpMappingDescriptionProvider();
    }
}
