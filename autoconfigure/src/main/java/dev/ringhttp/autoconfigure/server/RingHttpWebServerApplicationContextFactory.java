package dev.ringhttp.autoconfigure.server;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.AotDetector;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Gives a Spring Boot application that is neither a servlet nor a reactive
 * web application (the kind a ringhttp application is: ringhttp brings no
 * servlet API) a {@link RingHttpWebServerApplicationContext} instead of
 * Boot's plain context. Registered in {@code META-INF/spring.factories}, as
 * Boot registers the factories of its servlet and reactive contexts; it
 * leaves those kinds to them.
 *
 * <p>An application run from AOT-generated code keeps Boot's default
 * context, which such code is generated for; there ringhttp still runs and
 * publishes {@code local.ringhttp.port}, but not {@code local.server.port}.
 */
final class RingHttpWebServerApplicationContextFactory implements ApplicationContextFactory {

    @Override
    public @Nullable ConfigurableApplicationContext create(@Nullable WebApplicationType webApplicationType) {
        if (webApplicationType != WebApplicationType.NONE || AotDetector.useGeneratedArtifacts()) {
            return null;
        }
        return new RingHttpWebServerApplicationContext();
    }
}
