package dev.ringhttp.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.autoconfigure.actuate.ActuatorTestApplication;
import dev.ringhttp.autoconfigure.route.RouteObserver;
import dev.ringhttp.core.CloseReason;
import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.ServerConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RingHttpMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class, MetricsAutoConfiguration.class,
                    RingHttpMetricsAutoConfiguration.class))
            .withPropertyValues(ActuatorTestApplication.SMALL_SERVER);

    @Test
    void backsOffWithoutMeterRegistry() {
        contextRunner.run(context -> assertThat(context).doesNotHaveBean(RingHttpMetrics.class)
                .doesNotHaveBean(MicrometerRouteObserver.class));
    }

    @Test
    void backsOffWithoutMicrometer() {
        contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class,
                        RingHttpMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("ringHttpMetrics"));
    }

    @Test
    void registersEveryCloseReasonAsZero() {
        contextRunner.withBean(SimpleMeterRegistry.class).run(context -> {
            assertThat(context).hasSingleBean(RingHttpMetrics.class).hasSingleBean(MicrometerRouteObserver.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Collection<FunctionCounter> closed = registry.find("ringhttp.connections.closed").functionCounters();
            assertThat(closed).hasSize(2 * CloseReason.values().length).allSatisfy(c -> assertThat(c.count()).isZero());
            for (CloseReason reason : CloseReason.values()) {
                assertThat(registry.find("ringhttp.connections.closed").tags("type", "http", "reason", reason.name())
                        .functionCounter()).as(reason.name()).isNotNull();
                assertThat(registry.find("ringhttp.connections.closed")
                        .tags("type", "websocket", "reason", reason.name()).functionCounter()).isNotNull();
            }
            assertThat(registry.get("ringhttp.connections.active").tag("type", "websocket").gauge().value()).isZero();
            assertThat(registry.get("ringhttp.ring.capacity").gauge().value()).isEqualTo(1024 * 1024);
            assertThat(registry.get("ringhttp.large.body.buffers.in.use").gauge().value()).isZero();
            assertThat(registry.get("ringhttp.large.body.buffers").gauge().value())
                    .isEqualTo(ServerConfig.builder().build().largeBodyBuffers());
            assertThat(registry.get("ringhttp.ring.capacity").gauge().getId().getBaseUnit()).isEqualTo("bytes");
            assertThat(registry.get("ringhttp.bytes.read").functionCounter().getId().getBaseUnit()).isEqualTo("bytes");
            for (String name : new String[] { "ringhttp.connections.opened", "ringhttp.handler.errors",
                    "ringhttp.bytes.written", "ringhttp.websocket.frames", "ringhttp.websocket.messages.received",
                    "ringhttp.broadcasts", "ringhttp.ring.staged", "ringhttp.evictions",
                    "ringhttp.compression.bytes" }) {
                assertThat(registry.find(name).meters()).as(name).isNotEmpty();
            }
            assertThat(registry.find("ringhttp.websocket.frames").tag("direction", "out").functionCounter())
                    .isNotNull();
            assertThat(registry.get("ringhttp.routes.blocking.capacity").gauge().value()).isEqualTo(64 + 256);
            assertThat(registry.get("ringhttp.routes.blocking.calls").gauge().value()).isZero();
            assertThat(registry.get("ringhttp.routes.blocking.refused").functionCounter().count()).isZero();
            for (String algorithm : new String[] { "zstd", "deflate" }) {
                for (String direction : new String[] { "in", "out" }) {
                    assertThat(registry.find("ringhttp.compression.bytes").tag("algorithm", algorithm)
                            .tag("direction", direction).functionCounter()).as(algorithm + " " + direction).isNotNull();
                }
            }
        });
    }

    @Test
    void routeObserverCachesTimersPerRouteMethodAndStatus() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerRouteObserver observer = new MicrometerRouteObserver(registry);
        observer.answered(HttpMethod.GET, "/users/{id}", 200, TimeUnit.MILLISECONDS.toNanos(3));
        observer.answered(HttpMethod.GET, "/users/{id}", 200, TimeUnit.MILLISECONDS.toNanos(5));
        observer.answered(HttpMethod.POST, "/users/{id}", 500, 1);
        observer.handlerFailed("/users/{id}", new IllegalStateException());
        assertThat(registry.get("ringhttp.requests").tags("method", "GET", "route", "/users/{id}", "status", "200")
                .timer().count()).isEqualTo(2);
        assertThat(registry.get("ringhttp.requests").tags("method", "GET", "route", "/users/{id}", "status", "200")
                .timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8);
        assertThat(registry.get("ringhttp.requests").tags("method", "POST", "status", "500").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("ringhttp.handler.errors").tag("source", "route").counter().count()).isEqualTo(1);
    }

    @Test
    void backsOffWhenUserDefinesRouteObserver() {
        contextRunner.withBean(SimpleMeterRegistry.class)
                .withBean(RouteObserver.class, () -> (method, route, status, nanos) -> { })
                .run(context -> assertThat(context).doesNotHaveBean(MicrometerRouteObserver.class)
                        .hasSingleBean(RingHttpMetrics.class));
    }
}
