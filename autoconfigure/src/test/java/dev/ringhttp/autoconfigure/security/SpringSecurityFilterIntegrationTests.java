package dev.ringhttp.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Routes and the actuator protected by HTTP Basic against Spring Security's
 * {@code AuthenticationManager}, through a {@link RingHttpFilter}
 * ({@link BasicAuthenticationApplication}, the README's example), over real sockets. Runs in the
 * build's execution with Spring Security on the classpath (skipped in the other).
 */
@EnabledIf(SpringSecurityPresent.CONDITION)
@SpringBootTest(classes = BasicAuthenticationApplication.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.max-connections=8", "ringhttp.server.max-websocket-connections=2",
        "ringhttp.server.outgoing-buffer-size=256KB", "management.endpoints.web.exposure.include=health,ringhttp"})
class SpringSecurityFilterIntegrationTests {

    @LocalRingHttpPort
    int port;

    private RawResponse get(String path, String... headerLines) throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + String.join("", headerLines) + "\r\n");
            return c.readResponse();
        }
    }

    private static String basic(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    @Test
    void aRouteNeedsValidCredentialsAndSeesTheAuthentication() throws Exception {
        RawResponse anonymous = get("/me");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Basic realm=\"app\"");
        assertThat(get("/me", basic("alice", "wrong")).status()).isEqualTo(401);
        assertThat(get("/me", "Authorization: Basic %%%not-base64\r\n").status()).isEqualTo(401);
        RawResponse alice = get("/me", basic("alice", "wonderland"));
        assertThat(alice.status()).isEqualTo(200);
        assertThat(alice.bodyText()).isEqualTo("alice [ROLE_USER]");
    }

    @Test
    void theActuatorNeedsItsRole() throws Exception {
        assertThat(get("/actuator/health").status()).isEqualTo(401);
        assertThat(get("/actuator/health", basic("alice", "wonderland")).status()).isEqualTo(403);
        assertThat(get("/actuator/health", basic("ops", "metrics")).status()).isEqualTo(200);
        assertThat(get("/actuator/ringhttp", basic("ops", "metrics")).status()).isEqualTo(200);
    }

    @Test
    void publicRoutesStayOpen() throws Exception {
        assertThat(get("/public/hello").bodyText()).isEqualTo("hello");
    }
}
