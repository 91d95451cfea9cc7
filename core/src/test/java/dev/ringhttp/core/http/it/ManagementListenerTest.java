package dev.ringhttp.core.http.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.InvalidConfigurationException;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import dev.ringhttp.core.testing.RawConnection;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The second, management listener: same loop, same pools, and requests that say which listener took them. */
class ManagementListenerTest {

    private static RingHttpServer serverWithManagementPort(int managementPort) {
        return RingHttpServer.create(ItSupport.smallConfig().address(InetAddress.getLoopbackAddress()).port(0)
                .managementPort(managementPort).build(),
                (request, response) -> response.body(request.viaManagementPort() ? "management" : "main"),
                WebSocketHandler.NONE);
    }

    @Test
    void requestsSayWhichListenerAcceptedTheirConnection() throws Exception {
        RingHttpServer server = serverWithManagementPort(0);
        server.start();
        try {
            int main = server.address().getPort();
            int management = server.managementAddress().getPort();
            assertThat(management).isNotEqualTo(main);
            try (RawConnection m = new RawConnection(management); RawConnection a = new RawConnection(main)) {
                for (int i = 0; i < 3; i++) {
                    m.send(ItSupport.get("/"));
                    assertThat(m.readResponse().bodyText()).isEqualTo("management");
                    a.send(ItSupport.get("/"));
                    assertThat(a.readResponse().bodyText()).isEqualTo("main");
                }
            }
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void withoutAManagementPortThereIsOneListener() throws Exception {
        RingHttpServer server = RingHttpServer.create(ItSupport.smallConfig().port(0).build(),
                (request, response) -> response.body(String.valueOf(request.viaManagementPort())), WebSocketHandler.NONE);
        server.start();
        try (RawConnection c = new RawConnection(server.address().getPort())) {
            assertThat(server.configuration().hasManagementPort()).isFalse();
            assertThat(server.managementAddress()).isNull();
            c.send(ItSupport.get("/"));
            assertThat(c.readResponse().bodyText()).isEqualTo("false");
        } finally {
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void shutdownClosesTheManagementListenerToo() throws Exception {
        RingHttpServer server = serverWithManagementPort(0);
        server.start();
        int management = server.managementAddress().getPort();
        server.shutdown(Duration.ofSeconds(1));
        try (ServerSocket again = new ServerSocket(management, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(management);
        }
    }

    @Test
    void aManagementPortInUseFailsTheStartAndFreesTheMainPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RingHttpServer server = serverWithManagementPort(taken.getLocalPort());
            assertThatThrownBy(server::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageEndingWith(RingHttpServer.MANAGEMENT_LISTENER)
                    .hasMessageContaining(":" + taken.getLocalPort());
            assertThat(server.isRunning()).isFalse();
            assertThat(server.address()).isNull();
        }
    }

    @Test
    void aFixedManagementPortMustDifferFromThePort() {
        assertThatThrownBy(() -> ServerConfig.builder().port(9000).managementPort(9000).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("managementPort");
        assertThatThrownBy(() -> ServerConfig.builder().managementPort(-2).build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("managementPort");
        assertThat(ServerConfig.builder().port(0).managementPort(0).build().hasManagementPort()).isTrue();
        assertThat(ServerConfig.builder().managementPort(9001).build().toBuilder().build().managementPort())
                .isEqualTo(9001);
    }
}
