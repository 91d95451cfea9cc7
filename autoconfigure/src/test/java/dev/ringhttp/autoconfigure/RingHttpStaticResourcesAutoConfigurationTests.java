package dev.ringhttp.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.resource.StaticResourceContributor;
import dev.ringhttp.autoconfigure.route.RouteDispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class RingHttpStaticResourcesAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class,
                    RingHttpStaticResourcesAutoConfiguration.class))
            .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.max-connections=8",
                    "ringhttp.server.max-websocket-connections=2", "ringhttp.server.outgoing-buffer-size=256KB");

    @Test
    void looksInBootsDefaultStaticLocations() {
        runner.run(context -> {
            StaticResourceContributor contributor = context.getBean(StaticResourceContributor.class);
            assertThat(contributor.resources().locations()).containsExactly("classpath:/static/", "classpath:/public/");
            assertThat(context.getBean(RouteDispatcher.class)).isNotNull();
        });
    }

    @Test
    void reportsTheFilesAndTheirSizeInOneInfoLine(CapturedOutput output) {
        runner.withPropertyValues("spring.web.resources.static-locations=classpath:/static-site-extra/")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).containsOnlyOnce("ringhttp serves 2 static files, 32 bytes in direct memory "
                            + "(ringhttp.static.max-total-size=16MB), from [classpath:/static-site-extra/]");
                    assertThat(context.getBean(StaticResourceContributor.class).servedPaths())
                            .containsOnlyKeys("/", "/index.html", "/extra.txt");
                });
    }

    @Test
    void failsStartUpWhenTheFilesExceedTheirLimit() {
        runner.withPropertyValues("spring.web.resources.static-locations=classpath:/static-site-extra/",
                "ringhttp.static.max-total-size=31B").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("exceed ringhttp.static.max-total-size (31 bytes)")
                            .hasMessageContaining("[classpath:/static-site-extra/]");
                });
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withPropertyValues("ringhttp.static.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(StaticResourceContributor.class));
    }

    @Test
    void backsOffWithoutTheRingHttpServer() {
        runner.withPropertyValues("ringhttp.server.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(StaticResourceContributor.class));
    }
}
