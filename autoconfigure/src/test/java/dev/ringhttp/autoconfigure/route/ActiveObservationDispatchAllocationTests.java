package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The control for {@link NoopObservationDispatchAllocationTests}: once the
 * registry has a handler, each request is observed, and the measurement sees
 * the observation's objects. Without this, a measurement that saw nothing at
 * all would pass the no-op test too.
 */
@SpringBootTest(classes = ActiveObservationDispatchAllocationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=8",
                "ringhttp.server.max-websocket-connections=4", "ringhttp.server.outgoing-buffer-size=256KB"})
class ActiveObservationDispatchAllocationTests {

    /** Fewer bytes than one observation context, its key values and the handle on it take. */
    private static final double SMALLEST_OBSERVATION_BYTES = 64;

    @LocalRingHttpPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(DispatchAllocationTests.Routes.class)
    static class App {
        @Bean
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }
    }

    @Test
    void anActiveObservationIsSeenByTheAllocationMeasurement() throws Exception {
        assertThat(DispatchAllocationTests.bytesPerRequest(port)).isGreaterThan(SMALLEST_OBSERVATION_BYTES);
    }
}
