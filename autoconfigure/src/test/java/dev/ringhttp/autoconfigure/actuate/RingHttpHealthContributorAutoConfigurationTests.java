package dev.ringhttp.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.core.RingHttpServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class RingHttpHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class,
                    RingHttpHealthContributorAutoConfiguration.class))
            .withPropertyValues(ActuatorTestApplication.SMALL_SERVER);

    @Test
    void healthIsUpWhileTheServerRuns() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(RingHttpHealthIndicator.class).hasBean("ringhttpHealthIndicator");
            RingHttpServer server = context.getBean(RingHttpServer.class);
            Health health = context.getBean(RingHttpHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("address", "127.0.0.1:" + server.address().getPort())
                    .containsEntry("httpConnections", 0L).containsEntry("webSocketConnections", 0L);
        });
    }

    @Test
    void healthIsDownOnceTheServerStopped() {
        contextRunner.run(context -> {
            context.getBean(RingHttpServer.class).shutdown(Duration.ZERO);
            Health health = context.getBean(RingHttpHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("reason", "not running");
        });
    }

    @Test
    void backsOffWhenDisabled() {
        contextRunner.withPropertyValues("management.health.ringhttp.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RingHttpHealthIndicator.class));
    }

    @Test
    void backsOffWithoutSpringBootHealth() {
        contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).doesNotHaveBean("ringhttpHealthIndicator"));
    }

    @Test
    void backsOffWhenUserDefinesIndicator() {
        contextRunner.withBean("ringhttpHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
                .run(context -> assertThat(context).doesNotHaveBean(RingHttpHealthIndicator.class));
    }
}
