package dev.ringhttp.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.websocket.JsonMessages;
import dev.ringhttp.autoconfigure.route.RouteDispatcher;
import dev.ringhttp.autoconfigure.server.LoopFailureAction;
import dev.ringhttp.autoconfigure.server.RingHttpServerLifecycle;
import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.core.HttpHandler;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

class RingHttpAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class))
            .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.max-connections=16",
                    "ringhttp.server.max-websocket-connections=16", "ringhttp.server.outgoing-buffer-size=1MB");

    @Test
    void startsAServerWithTheContext() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(RingHttpServer.class).hasSingleBean(RouteDispatcher.class)
                    .hasSingleBean(WebSocketMessenger.class).hasSingleBean(RingHttpServerLifecycle.class);
            RingHttpServer server = context.getBean(RingHttpServer.class);
            assertThat(server.isRunning()).isTrue();
            assertThat(context.getEnvironment().getProperty("local.ringhttp.port", Integer.class))
                    .isEqualTo(server.address().getPort());
        });
    }

    @Test
    void bindsEveryServerProperty() {
        runner.withPropertyValues("ringhttp.server.address=127.0.0.1", "ringhttp.server.max-connections=33",
                "ringhttp.server.max-websocket-connections=44", "ringhttp.server.max-request-size=32KB",
                "ringhttp.server.max-request-line-size=2KB", "ringhttp.server.max-header-count=20",
                "ringhttp.server.max-websocket-message-size=128KB", "ringhttp.server.max-websocket-send-frames=64",
                "ringhttp.server.outgoing-buffer-size=2MB", "ringhttp.server.response-header-buffer-size=1KB",
                "ringhttp.server.compress-websocket=true", "ringhttp.server.max-connections-per-poll=8",
                "ringhttp.server.shutdown-grace-period=3s", "ringhttp.server.request-read-timeout=5s",
                "ringhttp.server.idle-timeout=7s", "ringhttp.server.websocket-idle-timeout=0s",
                "ringhttp.server.on-loop-failure=keep-running",
                "ringhttp.server.socket-send-buffer=128KB")
                .run(context -> {
                    ServerConfig config = context.getBean(ServerConfig.class);
                    assertThat(config.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                    assertThat(config.port()).isZero();
                    assertThat(config.maxConnections()).isEqualTo(33);
                    assertThat(config.maxWsConnections()).isEqualTo(44);
                    assertThat(config.maxRequestLength()).isEqualTo(32 * 1024);
                    assertThat(config.maxRequestLineLength()).isEqualTo(2 * 1024);
                    assertThat(config.maxHeaderCount()).isEqualTo(20);
                    assertThat(config.maxWsMessageLength()).isEqualTo(128 * 1024);
                    assertThat(config.maxWsSendFrames()).isEqualTo(64);
                    assertThat(config.outgoingBufferSize()).isEqualTo(2 * 1024 * 1024);
                    assertThat(config.responseHeaderBufferSize()).isEqualTo(1024);
                    assertThat(config.compressWebSocket()).isTrue();
                    assertThat(config.maxConnectionsPerPoll()).isEqualTo(8);
                    assertThat(config.requestReadTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(config.wsIdleTimeout()).isZero();
                    assertThat(config.socketSendBuffer()).isEqualTo(128 * 1024);
                    assertThat(context.getBean(RingHttpProperties.class).getShutdownGracePeriod())
                            .isEqualTo(Duration.ofSeconds(3));
                    assertThat(context.getBean(RingHttpProperties.class).getOnLoopFailure())
                            .isEqualTo(LoopFailureAction.KEEP_RUNNING);
                });
    }

    @Test
    void refusesABadValueNamingThePropertyTheValueAndTheRange() {
        runner.withPropertyValues("ringhttp.server.max-connections=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("ringhttp.server.max-connections")
                    .hasMessageContaining("'0'")
                    .hasMessageContaining("between 1 and");
        });
    }

    @Test
    void leavesTheRequestLineLimitToTheCoreWhenOnlyTheRequestSizeIsSet() {
        // The core derives the line limit (8 KiB, or the whole request if smaller) from what was set.
        runner.withPropertyValues("ringhttp.server.max-request-size=4KB").run(context -> {
            assertThat(context).hasNotFailed();
            ServerConfig config = context.getBean(ServerConfig.class);
            assertThat(config.maxRequestLength()).isEqualTo(4 * 1024);
            assertThat(config.maxRequestLineLength()).isEqualTo(4 * 1024);
        });
        runner.run(context -> assertThat(context.getBean(ServerConfig.class).maxRequestLineLength())
                .isEqualTo(8 * 1024));
    }

    @Test
    void blamesTheRequestLineSizeWhenItIsSetLongerThanTheRequest() {
        runner.withPropertyValues("ringhttp.server.max-request-size=4KB", "ringhttp.server.max-request-line-size=8KB")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause()
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("ringhttp.server.max-request-line-size")
                            .hasMessageContaining("'8192'")
                            .hasMessageContaining("between 16 and 4096 bytes");
                });
    }

    @Test
    void blamesTheRequestSizeWhenItIsTooSmall() {
        runner.withPropertyValues("ringhttp.server.max-request-size=100B").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("ringhttp.server.max-request-size")
                    .hasMessageNotContaining("max-request-line-size")
                    .hasMessageContaining("between 256 and");
        });
    }

    @Test
    void refusesASocketSendBufferBelowTheMinimumInBytes() {
        runner.withPropertyValues("ringhttp.server.socket-send-buffer=1KB").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("ringhttp.server.socket-send-buffer")
                    .hasMessageContaining("'1024'")
                    .hasMessageContaining("between 4096 and 1073741824 bytes");
        });
    }

    @Test
    void refusesAFootprintBeyondTheMachinesMemoryNamingTheFootprintAndTheProperties() {
        // 2^20 WebSockets of 1 MiB each: a TiB of receive buffers, refused before any is reserved.
        runner.withPropertyValues("ringhttp.server.max-websocket-connections=1048576",
                "ringhttp.server.max-websocket-message-size=1MB").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("a footprint of ")
                    .hasMessageContaining("buffers do not fit the machine's memory")
                    .hasMessageContaining("ringhttp.server.outgoing-buffer-size")
                    .hasMessageContaining("ringhttp.server.max-connections,")
                    .hasMessageContaining("ringhttp.server.max-request-size")
                    .hasMessageContaining("ringhttp.server.response-header-buffer-size")
                    .hasMessageContaining("ringhttp.server.max-websocket-connections")
                    .hasMessageContaining("ringhttp.server.max-websocket-message-size")
                    .hasMessageContaining("ringhttp.server.large-body-buffers")
                    .hasMessageContaining("ringhttp.server.max-request-body-size")
                    .hasMessageNotContaining("maxWsConnections");
        });
    }

    @Test
    void refusesARingSmallerThanOneMessage() {
        runner.withPropertyValues("ringhttp.server.outgoing-buffer-size=1KB",
                "ringhttp.server.max-websocket-message-size=64KB").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("ringhttp.server.outgoing-buffer-size")
                    .hasMessageContaining("at least one whole message")
                    .hasMessageContaining("between ringhttp.server.max-websocket-message-size (65536) and")
                    .hasMessageNotContaining("maxWsMessageLength");
        });
    }

    @Test
    void refusesASizeTooLargeForAnInt() {
        runner.withPropertyValues("ringhttp.server.outgoing-buffer-size=4GB").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("ringhttp.server.outgoing-buffer-size")
                    .hasMessageContaining("4294967296B").hasMessageContaining("between 0B and 2147483647B");
        });
    }

    @Test
    void refusesAPortOutOfRange() {
        runner.withPropertyValues("ringhttp.server.port=70000").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("ringhttp.server.port").hasMessageContaining("between 0 and 65535");
        });
    }

    @Test
    void refusesANegativeTimeout() {
        runner.withPropertyValues("ringhttp.server.idle-timeout=-1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("ringhttp.server.idle-timeout").hasMessageContaining("between 0 (disabled)");
        });
    }

    @Test
    void restartsWithTheContext() {
        runner.run(context -> {
            RingHttpServer server = context.getBean(RingHttpServer.class);
            context.stop();
            assertThat(server.isRunning()).isFalse();
            context.start();
            assertThat(server.isRunning()).isTrue();
            assertThat(context.getEnvironment().getProperty("local.ringhttp.port", Integer.class))
                    .isEqualTo(server.address().getPort());
        });
    }

    @Test
    void doesNothingWhenDisabled() {
        runner.withPropertyValues("ringhttp.server.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(RingHttpServer.class));
    }

    @Test
    void doesNothingWithoutTheCoreOnTheClasspath() {
        runner.withClassLoader(new FilteredClassLoader(RingHttpServer.class))
                .run(context -> assertThat(context).doesNotHaveBean(RingHttpServerLifecycle.class));
    }

    @Test
    void backsOffWhenUserDefinesServer() {
        runner.withUserConfiguration(UserServerConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(RingHttpServer.class);
            assertThat(context.getBean(RingHttpServer.class)).isSameAs(UserServerConfiguration.SERVER);
            assertThat(UserServerConfiguration.SERVER.isRunning()).isTrue();
        });
    }

    @Test
    void worksWithoutJackson() {
        runner.withClassLoader(new FilteredClassLoader("tools.jackson"))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(JsonMessages.class);
                    assertThat(context.getBean(RingHttpServer.class).isRunning()).isTrue();
                });
    }

    @Test
    void failsStartUpWhenTwoRoutesClashNamingBothMethods() {
        runner.withUserConfiguration(ClashingRoutes.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                    .hasMessageContaining("ClashingRoutes.byId()")
                    .hasMessageContaining("ClashingRoutes.byName()")
                    .hasMessageContaining("/users/{");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserServerConfiguration {
        static final RingHttpServer SERVER = RingHttpServer.create(
                ServerConfig.builder().port(0).maxConnections(4).maxWsConnections(4).outgoingBufferSize(1 << 20)
                        .maxWsMessageLength(1024).build(),
                (HttpHandler) (request, response) -> response.body("user server"), WebSocketHandler.NONE);

        @Bean
        RingHttpServer userServer() {
            return SERVER;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ClashingRoutes {
        @Bean
        ClashingRoutes clashingRoutes() {
            return new ClashingRoutes();
        }

        @HttpRoute("/users/{id}")
        String byId() {
            return "id";
        }

        @HttpRoute("/users/{name}")
        String byName() {
            return "name";
        }
    }
}
