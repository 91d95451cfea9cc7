package dev.ringhttp.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starting a ringhttp application as Spring Boot starts one with an embedded
 * server: the start logged in the same words, and a port or address it
 * cannot listen on explained by Boot's failure analysis.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartUpIntegrationTests {

    @Test
    void logsTheStartAsBootsEmbeddedServersDo(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run("--server.port=0", "--server.address=127.0.0.1")) {
            int port = context.getBean(RingHttpWebServer.class).getPort();
            assertThat(output).containsPattern("INFO .*" + RingHttpWebServer.class.getSimpleName()
                    + ".* ringhttp started on port " + port + " \\(http\\) on 127\\.0\\.0\\.1 with \\d+ KiB of"
                    + " buffers; kernel send buffers up to \\d+ KiB");
        }
    }

    @Test
    void aPortInUseFailsStartUpWithBootsFailureAnalysis(CapturedOutput output) throws Exception {
        try (ServerSocket holder = new ServerSocket(0)) {
            int port = holder.getLocalPort();

            assertThatThrownBy(() -> run("--server.port=" + port).close())
                    .satisfies(failure -> assertThat(causes(failure)).filteredOn(PortInUseException.class::isInstance)
                            .singleElement().extracting(cause -> ((PortInUseException) cause).getPort())
                            .isEqualTo(port))
                    .hasRootCauseInstanceOf(BindException.class);
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("Web server failed to start. Port " + port + " was already in use.")
                    .contains("Identify and stop the process that's listening on port " + port);
        }
    }

    @Test
    void anAddressNotOfThisMachineFailsStartUpNamingIt(CapturedOutput output) throws Exception {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a host, so binding it fails, but not as "in use".
        InetAddress foreign = InetAddress.getByName("192.0.2.1");

        assertThatThrownBy(() -> run("--server.port=0", "--server.address=" + foreign.getHostAddress()).close())
                .satisfies(failure -> assertThat(causes(failure)).filteredOn(WebServerException.class::isInstance)
                        .singleElement().satisfies(cause -> assertThat(cause)
                                .isNotInstanceOf(PortInUseException.class)
                                .hasMessage("Unable to start ringhttp on 192.0.2.1:0")))
                .hasRootCauseInstanceOf(BindException.class);
        assertThat(output).doesNotContain("was already in use");
    }

    private static ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(WebServerTestApplication.class)
                .properties(WebServerTestApplication.SMALL_SERVER).run(args);
    }

    /** {@code failure} and its causes, outermost first. */
    private static List<Throwable> causes(Throwable failure) {
        return Stream.iterate(failure, Objects::nonNull, Throwable::getCause).toList();
    }
}
