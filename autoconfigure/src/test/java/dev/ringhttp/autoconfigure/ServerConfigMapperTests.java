package dev.ringhttp.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.ServerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerConfigMapperTests {

    /**
     * The properties carry defaults so that IDEs show them; they must be the
     * core's, or an application would get a different server from its
     * properties than from the core's builder.
     */
    @Test
    void defaultPropertiesGiveTheCoresDefaultConfiguration() {
        ServerConfig mapped = ServerConfigMapper.toServerConfig(new RingHttpProperties(), List.of());
        assertThat(mapped).usingRecursiveComparison().isEqualTo(ServerConfig.builder().build());
    }
}
