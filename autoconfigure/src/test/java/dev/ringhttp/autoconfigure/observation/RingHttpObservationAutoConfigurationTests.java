package dev.ringhttp.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.autoconfigure.actuate.ActuatorTestApplication;
import dev.ringhttp.autoconfigure.route.ObservedRequest;
import dev.ringhttp.autoconfigure.route.RequestObserver;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

class RingHttpObservationAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class,
                    RingHttpObservationAutoConfiguration.class))
            .withPropertyValues(ActuatorTestApplication.SMALL_SERVER);

    @Test
    void backsOffWithoutObservationRegistry() {
        contextRunner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestObserver.class));
    }

    @Test
    void backsOffWithoutMicrometerObservation() {
        contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(RequestObserver.class));
    }

    @Test
    void observesWithBootsObservationRegistry() {
        contextRunner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(ObservationRequestObserver.class));
    }

    @Test
    void backsOffWhenUserDefinesRequestObserver() {
        contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .withBean("custom", RequestObserver.class, () -> RequestObserver.NONE)
                .run(context -> assertThat(context).doesNotHaveBean(ObservationRequestObserver.class)
                        .getBean(RequestObserver.class).isSameAs(RequestObserver.NONE));
    }

    @Test
    void namesTheObservationAfterTheManagementProperty() {
        Recorder recorder = new Recorder();
        contextRunner.withBean(ObservationRegistry.class, () -> registryWith(recorder))
                .withPropertyValues("management.observations.http.server.requests.name=ringhttp.server.requests")
                .run(context -> {
                    observeOneRequest(context);
                    assertThat(recorder.stopped).singleElement()
                            .satisfies(c -> assertThat(c.getName()).isEqualTo("ringhttp.server.requests"));
                });
    }

    @Test
    void usesTheApplicationsConvention() {
        Recorder recorder = new Recorder();
        contextRunner.withBean(ObservationRegistry.class, () -> registryWith(recorder))
                .withBean(RingHttpRequestObservationConvention.class, () -> new DefaultRingHttpRequestObservationConvention() {
                    @Override
                    public String getContextualName(RingHttpRequestObservationContext context) {
                        return "custom " + context.getPath();
                    }
                })
                .run(context -> {
                    observeOneRequest(context);
                    assertThat(recorder.stopped).singleElement()
                            .satisfies(c -> assertThat(c.getContextualName()).isEqualTo("custom /users/1"));
                });
    }

    @Test
    void observesNothingWhileTheRegistryHasNoHandlers() {
        contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(context -> assertThat(context.getBean(RequestObserver.class).begin(request())).isNull());
    }

    private static void observeOneRequest(ApplicationContext context) {
        ObservedRequest observed = context.getBean(RequestObserver.class).begin(request());
        assertThat(observed).isNotNull();
        observed.route("/users/{id}");
        observed.stop(200);
    }

    private static ObservationRegistry registryWith(ObservationHandler<Observation.Context> handler) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(handler);
        return registry;
    }

    static HttpRequest request() {
        HttpRequest request = mock(HttpRequest.class);
        given(request.method()).willReturn(HttpMethod.GET);
        given(request.path()).willReturn("/users/1");
        return request;
    }

    static class Recorder implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> stopped = new ArrayList<>();

        @Override
        public void onStop(Observation.Context context) {
            stopped.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }
}
