package dev.ringhttp.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.ServerConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

class ServerConfigMapperTests {

    /**
     * The properties carry defaults so that IDEs show them; they must be the
     * core's, or an application would get a different server from its
     * properties than from the core's builder. Boot's {@code server.*}
     * unset, its port and address too.
     */
    @Test
    void defaultPropertiesGiveTheCoresDefaultConfiguration() {
        ServerConfig mapped = ServerConfigMapper.toServerConfig(new RingHttpProperties(), new ServerProperties(),
                List.of());
        assertThat(mapped).usingRecursiveComparison().isEqualTo(ServerConfig.builder().build());
        assertThat(mapped.port()).isEqualTo(8080);
        assertThat(mapped.address()).isNull();
    }

    @Test
    void takesBootsPortAndAddressWhereItsOwnAreUnset() throws Exception {
        ServerProperties server = new ServerProperties();
        server.setPort(9000);
        server.setAddress(InetAddress.getByName("127.0.0.1"));

        ServerConfig mapped = ServerConfigMapper.toServerConfig(new RingHttpProperties(), server, List.of());

        assertThat(mapped.port()).isEqualTo(9000);
        assertThat(mapped.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void itsOwnPortAndAddressWinOverBoots() throws Exception {
        ServerProperties server = new ServerProperties();
        server.setPort(9000);
        server.setAddress(InetAddress.getByName("127.0.0.1"));
        RingHttpProperties properties = new RingHttpProperties();
        properties.setPort(9001);
        properties.setAddress(InetAddress.getByName("::1"));

        ServerConfig mapped = ServerConfigMapper.toServerConfig(properties, server, List.of());

        assertThat(mapped.port()).isEqualTo(9001);
        assertThat(mapped.address()).isEqualTo(InetAddress.getByName("::1"));
    }

    @Test
    void refusesAPortOutOfRangeNamingThePropertyItCameFrom() {
        ServerProperties server = new ServerProperties();
        server.setPort(70_000);
        assertThatThrownBy(() -> ServerConfigMapper.toServerConfig(new RingHttpProperties(), server, List.of()))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                        e -> assertThat(e.getName()).isEqualTo("server.port"))
                .hasMessageContaining("between 0 and 65535");

        RingHttpProperties properties = new RingHttpProperties();
        properties.setPort(70_001);
        assertThatThrownBy(() -> ServerConfigMapper.toServerConfig(properties, server, List.of()))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                        e -> assertThat(e.getName()).isEqualTo("ringhttp.server.port"))
                .hasMessageContaining("'70001'");
    }

    @Test
    void mapsTheBodyLimitAndTheLargeBodyBuffersAndNamesThemWhenRefused() {
        RingHttpProperties properties = new RingHttpProperties();
        properties.setMaxRequestBodySize(org.springframework.util.unit.DataSize.ofMegabytes(3));
        properties.setLargeBodyBuffers(2);
        ServerConfig mapped = ServerConfigMapper.toServerConfig(properties, new ServerProperties(), List.of());
        assertThat(mapped.maxRequestBodyLength()).isEqualTo(3 << 20);
        assertThat(mapped.largeBodyBuffers()).isEqualTo(2);

        properties.setLargeBodyBuffers(5000);
        assertThatThrownBy(() -> ServerConfigMapper.toServerConfig(properties, new ServerProperties(), List.of()))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                        e -> assertThat(e.getName()).isEqualTo("ringhttp.server.large-body-buffers"))
                .hasMessageContaining("between 0 and 1024");
    }

    @Test
    void theGracePeriodIsThePhaseTimeoutUnlessItsOwnIsShorter() {
        Duration phase = Duration.ofSeconds(30);
        RingHttpProperties properties = new RingHttpProperties();
        assertThat(ServerConfigMapper.gracePeriod(properties, phase)).isEqualTo(phase);

        properties.setShutdownGracePeriod(Duration.ofSeconds(5));
        assertThat(ServerConfigMapper.gracePeriod(properties, phase)).isEqualTo(Duration.ofSeconds(5));
        assertThat(ServerConfigMapper.gracePeriod(properties, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(2));

        properties.setShutdownGracePeriod(Duration.ZERO);
        assertThat(ServerConfigMapper.gracePeriod(properties, phase)).isZero();
    }
}
