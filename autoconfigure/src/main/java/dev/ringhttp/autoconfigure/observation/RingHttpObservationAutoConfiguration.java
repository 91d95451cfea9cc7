package dev.ringhttp.autoconfigure.observation;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.autoconfigure.route.RequestObserver;
import dev.ringhttp.core.RingHttpServer;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@code http.server.requests} observations of routed requests and WebSocket
 * upgrades, when Micrometer's observation API is present and the application
 * has an {@link ObservationRegistry} (Boot's, with actuator). With Boot's
 * metrics they become the {@code http.server.requests} timer; with a tracing
 * bridge, spans continuing the caller's {@code traceparent}.
 *
 * <p>The name follows {@code management.observations.http.server.requests.name}
 * as for Spring MVC; {@code management.observations.enable.http.server.requests=false}
 * switches the observations off. A registry without handlers costs nothing per
 * request ({@link ObservationRequestObserver}).
 */
@AutoConfiguration(after = RingHttpAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ ObservationRegistry.class, RingHttpServer.class })
@ConditionalOnBean({ ObservationRegistry.class, RingHttpServer.class })
public final class RingHttpObservationAutoConfiguration {

    static final String NAME_PROPERTY = "management.observations.http.server.requests.name";

    @Bean
    @ConditionalOnMissingBean(RequestObserver.class)
    ObservationRequestObserver ringHttpRequestObserver(ObservationRegistry registry,
            ObjectProvider<RingHttpRequestObservationConvention> convention, Environment environment) {
        String name = environment.getProperty(NAME_PROPERTY, DefaultRingHttpRequestObservationConvention.DEFAULT_NAME);
        return new ObservationRequestObserver(registry, convention.getIfAvailable(),
                new DefaultRingHttpRequestObservationConvention(name));
    }
}
