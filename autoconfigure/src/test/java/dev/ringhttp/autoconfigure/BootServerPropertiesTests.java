package dev.ringhttp.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.RingHttpServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Which of Spring Boot's {@code server.*} properties ringhttp applies (the
 * port and address where its own are unset) and that it says so about the
 * rest instead of ignoring them silently.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootServerPropertiesTests {

    private static final String IGNORED = "ignores these server.* properties";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class))
            .withPropertyValues("ringhttp.server.max-connections=16", "ringhttp.server.max-websocket-connections=16",
                    "ringhttp.server.outgoing-buffer-size=1MB");

    @Test
    void listensOnServerPortAndAddressWhereRinghttpsAreUnset() {
        runner.withPropertyValues("server.port=0", "server.address=127.0.0.1").run(context -> {
            assertThat(context).hasNotFailed();
            RingHttpServer server = context.getBean(RingHttpServer.class);
            assertThat(server.configuration().port()).isZero();
            assertThat(server.address().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(server.address().getPort()).isPositive();
        });
    }

    @Test
    void ringhttpsOwnPortAndAddressWin() throws Exception {
        // Were Boot's used, start-up would fail: the port is held, and TEST-NET-1 is no address of this machine.
        try (ServerSocket held = new ServerSocket(0)) {
            runner.withPropertyValues("server.port=" + held.getLocalPort(), "server.address=192.0.2.1",
                    "ringhttp.server.port=0", "ringhttp.server.address=127.0.0.1").run(context -> {
                        assertThat(context).hasNotFailed();
                        RingHttpServer server = context.getBean(RingHttpServer.class);
                        assertThat(server.address().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                        assertThat(server.address().getPort()).isNotEqualTo(held.getLocalPort());
                    });
        }
    }

    @Test
    void aServerPortOutOfRangeFailsStartUpNamingServerPort() {
        runner.withPropertyValues("server.port=70000").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                            e -> assertThat(e.getName()).isEqualTo("server.port"))
                    .hasMessageContaining("between 0 and 65535");
        });
    }

    @Test
    void refusesToStartWhenTlsIsAskedForSinceItServesPlainHttpOnly() {
        runner.withPropertyValues("server.port=0", "server.ssl.bundle=web").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                            e -> assertThat(e.getName()).isEqualTo("server.ssl.enabled"))
                    .hasMessageContaining("ringhttp serves plain HTTP only");
        });
    }

    @Test
    void warnsOnceNamingTheServerPropertiesItIgnoresButNotTheirValues(CapturedOutput output) {
        runner.withPropertyValues("server.port=0", "server.servlet.context-path=/app", "server.ssl.enabled=false",
                "server.ssl.key-store-password=hunter2", "server.compression.enabled=true").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).containsOnlyOnce(IGNORED)
                            .contains("servlet and reactive web servers: server.compression.enabled,"
                                    + " server.servlet.context-path, server.ssl.enabled, server.ssl.key-store-password."
                                    + " It applies"
                                    + " server.port, server.address and server.shutdown")
                            .doesNotContain("hunter2");
                });
    }

    @Test
    void saysNothingWhenOnlyTheServerPropertiesItAppliesAreSet(CapturedOutput output) {
        runner.withPropertyValues("server.port=0", "server.address=127.0.0.1", "server.shutdown=immediate")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).doesNotContain(IGNORED);
                });
    }
}
