package dev.ringhttp.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The application context Spring Boot runs a ringhttp application in, and when it does. */
class RingHttpWebServerApplicationContextTests {

    @Test
    void bootGivesAnApplicationWithoutServletOrReactiveStackThisContext() {
        // DEFAULT consults every ApplicationContextFactory in spring.factories, as SpringApplication does.
        assertThat(ApplicationContextFactory.DEFAULT.create(WebApplicationType.NONE))
                .isInstanceOf(RingHttpWebServerApplicationContext.class);
    }

    @Test
    void leavesServletAndReactiveApplicationsToBootsContexts() {
        RingHttpWebServerApplicationContextFactory factory = new RingHttpWebServerApplicationContextFactory();
        assertThat(factory.create(WebApplicationType.SERVLET)).isNull();
        assertThat(factory.create(WebApplicationType.REACTIVE)).isNull();
    }

    @Test
    void knowsTheServerOnceItsBeanExistsAndNeverCreatesIt() {
        try (RingHttpWebServerApplicationContext empty = new RingHttpWebServerApplicationContext()) {
            assertThat(empty.getWebServer()).isNull();
        }
        new ApplicationContextRunner(RingHttpWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class))
                .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.max-connections=4",
                        "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=1MB")
                .run(context -> assertThat(((RingHttpWebServerApplicationContext) context.getSourceApplicationContext())
                        .getWebServer()).isSameAs(context.getBean(RingHttpWebServer.class)));
    }
}
