package dev.ringhttp.autoconfigure.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.observation.ObservationRequestObserver;
import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * With a no-op {@link ObservationRegistry} the request observer is wired into
 * the dispatcher but observes nothing, and dispatch still allocates nothing
 * per request on the loop. {@link ActiveObservationDispatchAllocationTests}
 * shows that the same measurement does see an active observation.
 */
@SpringBootTest(classes = NoopObservationDispatchAllocationTests.App.class,
        properties = {"ringhttp.server.port=0", "ringhttp.server.max-connections=8",
                "ringhttp.server.max-websocket-connections=4", "ringhttp.server.outgoing-buffer-size=256KB"})
class NoopObservationDispatchAllocationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    RequestObserver requestObserver;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(DispatchAllocationTests.Routes.class)
    static class App {
        @Bean
        ObservationRegistry observationRegistry() {
            return ObservationRegistry.NOOP;
        }
    }

    @Test
    void literalRoutesAllocateNothingPerRequestWithANoopObservationRegistry() throws Exception {
        assertThat(requestObserver).isInstanceOf(ObservationRequestObserver.class);
        DispatchAllocationTests.assertNoAllocationPerRequest(port);
    }
}
