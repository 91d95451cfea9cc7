package dev.ringhttp.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.autoconfigure.RingHttpSecurityAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The start-up warning that Spring Security's presence protects nothing of ringhttp's by itself.
 * Runs in the build's execution with Spring Security on the classpath (skipped in the other).
 */
@EnabledIf(SpringSecurityPresent.CONDITION)
@ExtendWith(OutputCaptureExtension.class)
class UnprotectedServerWarningTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class,
                    RingHttpSecurityAutoConfiguration.class))
            .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.max-connections=4",
                    "ringhttp.server.max-websocket-connections=4", "ringhttp.server.outgoing-buffer-size=256KB");

    @Test
    void warnsWhenSpringSecurityIsPresentAndNoFilterIsDefined(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasSingleBean(UnprotectedServerWarning.class);
            assertThat(output).containsOnlyOnce("nothing served by ringhttp");
        });
    }

    @Test
    void saysNothingWhenAFilterIsDefined(CapturedOutput output) {
        runner.withBean(RingHttpFilter.class, () -> exchange -> true).run(context -> {
            assertThat(context).hasSingleBean(UnprotectedServerWarning.class);
            assertThat(output).doesNotContain("nothing served by ringhttp");
        });
    }

    @Test
    void saysNothingWithoutSpringSecurity(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class)).run(context -> {
            assertThat(context).doesNotHaveBean(UnprotectedServerWarning.class);
            assertThat(output).doesNotContain("nothing served by ringhttp");
        });
    }
}
