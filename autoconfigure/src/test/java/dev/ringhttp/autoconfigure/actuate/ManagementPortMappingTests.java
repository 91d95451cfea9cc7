package dev.ringhttp.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.autoconfigure.RingHttpProperties;
import dev.ringhttp.core.ServerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

/** Which {@code management.server.port} values give the server a management listener, as Boot decides. */
class ManagementPortMappingTests {

    private static int managementPort(Integer management, Integer ringhttp, Integer server) {
        ManagementServerProperties m = new ManagementServerProperties();
        m.setPort(management);
        RingHttpProperties r = new RingHttpProperties();
        r.setPort(ringhttp);
        ServerProperties s = new ServerProperties();
        s.setPort(server);
        return RingHttpActuatorWebAutoConfiguration.managementPort(m, r, s);
    }

    @Test
    void unsetNegativeOrTheServersOwnPortMeansNoSecondListener() {
        int none = ServerConfig.NO_MANAGEMENT_PORT;
        assertThat(managementPort(null, null, null)).isEqualTo(none);
        assertThat(managementPort(-1, null, null)).isEqualTo(none);
        assertThat(managementPort(8080, null, null)).isEqualTo(none);
        assertThat(managementPort(9000, null, 9000)).isEqualTo(none);
        assertThat(managementPort(9100, 9100, 9000)).isEqualTo(none);
    }

    @Test
    void anotherPortOrZeroIsASecondListener() {
        assertThat(managementPort(8081, null, null)).isEqualTo(8081);
        assertThat(managementPort(9000, 9100, 9000)).isEqualTo(9000);
        assertThat(managementPort(0, 0, null)).isZero();
    }

    @Test
    void aPortOutOfRangeIsRefusedInTheUsersTerms() {
        assertThatThrownBy(() -> managementPort(70_000, null, null))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("management.server.port");
    }
}
