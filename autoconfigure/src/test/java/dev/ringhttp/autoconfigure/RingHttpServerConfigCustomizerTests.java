package dev.ringhttp.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.InvalidConfigurationException;
import dev.ringhttp.core.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

class RingHttpServerConfigCustomizerTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class))
            .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                    "ringhttp.server.max-websocket-connections=16", "ringhttp.server.outgoing-buffer-size=1MB");

    @Test
    void appliesCustomizersInTheirOrderAfterTheProperties() {
        runner.withUserConfiguration(OrderedCustomizers.class)
                .withPropertyValues("ringhttp.server.max-header-count=5", "ringhttp.server.max-connections=33")
                .run(context -> {
                    ServerConfig config = context.getBean(ServerConfig.class);
                    assertThat(config.maxHeaderCount()).as("set by the last customizer").isEqualTo(20);
                    assertThat(config.maxConnections()).as("left as the property set it").isEqualTo(33);
                    assertThat(context.getBean(OrderedCustomizers.class).calls).containsExactly("first", "second");
                });
    }

    @Test
    void derivesWhatTheCoreDerivesFromWhatTheCustomizersLeave() {
        runner.withBean(RingHttpServerConfigCustomizer.class, () -> builder -> builder.maxRequestLength(4 * 1024))
                .run(context -> {
                    ServerConfig config = context.getBean(ServerConfig.class);
                    assertThat(config.maxRequestLength()).isEqualTo(4 * 1024);
                    assertThat(config.maxRequestLineLength()).isEqualTo(4 * 1024);
                });
    }

    @Test
    void refusesWhatACustomizerSetInTheBuildersTerms() {
        runner.withBean(RingHttpServerConfigCustomizer.class, () -> builder -> builder.maxConnections(0))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidConfigurationException.class)
                            .hasMessageStartingWith("maxConnections is 0; it must be between 1 and");
                });
    }

    @Test
    void refusesABadPropertyInItsOwnNameEvenWithACustomizer() {
        runner.withBean(RingHttpServerConfigCustomizer.class, () -> builder -> builder.maxConnections(8))
                .withPropertyValues("ringhttp.server.max-header-count=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageContaining("ringhttp.server.max-header-count");
                });
    }

    @Test
    void leavesAServerConfigTheApplicationDefinesAlone() {
        List<String> calls = new ArrayList<>();
        runner.withBean(ServerConfig.class, () -> ServerConfig.builder().port(0).maxConnections(4)
                        .maxWsConnections(4).outgoingBufferSize(1 << 20).maxWsMessageLength(1024).build())
                .withBean(RingHttpServerConfigCustomizer.class, () -> builder -> calls.add("called"))
                .run(context -> {
                    assertThat(context.getBean(ServerConfig.class).maxConnections()).isEqualTo(4);
                    assertThat(calls).isEmpty();
                });
    }

    /** Declared in the reverse of their order, so that registration order cannot pass for it. */
    @Configuration(proxyBeanMethods = false)
    static class OrderedCustomizers {

        final List<String> calls = new ArrayList<>();

        @Bean
        @Order(2)
        RingHttpServerConfigCustomizer second() {
            return builder -> {
                calls.add("second");
                builder.maxHeaderCount(20);
            };
        }

        @Bean
        @Order(1)
        RingHttpServerConfigCustomizer first() {
            return builder -> {
                calls.add("first");
                builder.maxHeaderCount(10);
            };
        }
    }
}
