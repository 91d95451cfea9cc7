package dev.ringhttp.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.autoconfigure.websocket.WsListener;
import dev.ringhttp.autoconfigure.websocket.WsSession;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.RawWebSocket;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@link RingHttpFilter} beans in front of routes, the actuator and WebSocket upgrades, over real
 * sockets: a filter that answers 401, one that lets a request through with a principal and an
 * attribute the route receives, their order, and filters that throw.
 */
@SpringBootTest(classes = FilterChainIntegrationTests.App.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.max-connections=16", "ringhttp.server.max-websocket-connections=4",
        "ringhttp.server.outgoing-buffer-size=256KB", "management.endpoints.web.exposure.include=health"})
class FilterChainIntegrationTests {

    /** The token {@link TokenFilter} accepts. */
    static final String TOKEN = "Bearer s3cret";

    @LocalRingHttpPort
    int port;

    @Autowired
    PrivateSocket socket;

    /** Runs first: records its name, fails on demand, lets everything else through. */
    @Order(1)
    static class TracingFilter implements RingHttpFilter {
        @Override
        public boolean filter(FilterExchange exchange) {
            exchange.attribute("trace", "tracing");
            if ("/failure".equals(exchange.path())) {
                throw new IllegalStateException("filter bug, on purpose");
            }
            if ("/refuse-with-status".equals(exchange.path())) {
                throw new ResponseStatusException(HttpStatus.TOO_MANY_REQUESTS, "slow down");
            }
            if ("/silent-refusal".equals(exchange.path())) {
                return false;
            }
            return true;
        }
    }

    /** Runs second: everything under /private, the actuator and the WebSockets needs the token. */
    @Order(2)
    static class TokenFilter implements RingHttpFilter {
        @Override
        public boolean filter(FilterExchange exchange) {
            exchange.attribute("trace", exchange.attribute("trace") + ",token");
            boolean protectedPath = exchange.path().startsWith("/private") || exchange.path().startsWith("/actuator")
                    || exchange.isWebSocketUpgrade();
            if (!protectedPath) {
                return true;
            }
            String token = exchange.header("Authorization");
            if (token == null) {
                token = exchange.queryParameter("access_token") == null ? null
                        : "Bearer " + exchange.queryParameter("access_token");
            }
            if (!TOKEN.equals(token)) {
                exchange.unauthorized("Bearer realm=\"test\"");
                return false;
            }
            exchange.principal(() -> "alice");
            return true;
        }
    }

    static class Routes {
        @HttpRoute("/public")
        String open(Principal principal, @RequestAttribute("trace") String trace) {
            return "public for " + (principal == null ? "nobody" : principal.getName()) + " via " + trace;
        }

        @HttpRoute("/private/me")
        String me(Principal principal, @RequestAttribute("trace") String trace,
                @RequestAttribute(name = "absent", required = false) Optional<String> absent) {
            return principal.getName() + " via " + trace + " " + absent.isPresent();
        }

        @HttpRoute("/needs-attribute")
        String needs(@RequestAttribute("never-set") String value) {
            return value;
        }
    }

    @WsHandler("/ws/private")
    static class PrivateSocket implements WsListener {
        final BlockingQueue<WsSession> opened = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WsSession session) {
            opened.add(session);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        TokenFilter tokenFilter() {
            return new TokenFilter();
        }

        @Bean
        TracingFilter tracingFilter() {
            return new TracingFilter();
        }

        @Bean
        Routes routes() {
            return new Routes();
        }

        @Bean
        PrivateSocket privateSocket() {
            return new PrivateSocket();
        }
    }

    private RawResponse get(String path, String... headerLines) throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            c.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + String.join("", headerLines) + "\r\n");
            return c.readResponse();
        }
    }

    @Test
    void aFilterAnswers401WithItsChallengeBeforeTheRoute() throws Exception {
        RawResponse response = get("/private/me");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"test\"");
        assertThat(response.bodyText()).isEqualTo("Unauthorized\n");
        assertThat(get("/private/me", "Authorization: Bearer wrong\r\n").status()).isEqualTo(401);
    }

    @Test
    void aFilterThatLetsTheRequestThroughHandsTheRouteItsPrincipalAndAttributesInOrder() throws Exception {
        RawResponse response = get("/private/me", "Authorization: " + TOKEN + "\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("alice via tracing,token false");
    }

    @Test
    void routesWithoutAPrincipalGetNull() throws Exception {
        RawResponse response = get("/public");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("public for nobody via tracing,token");
    }

    @Test
    void aMissingRequiredAttributeIsABadRequest() throws Exception {
        assertThat(get("/needs-attribute").status()).isEqualTo(400);
    }

    @Test
    void filtersRunBeforeTheActuator() throws Exception {
        assertThat(get("/actuator/health").status()).isEqualTo(401);
        assertThat(get("/actuator/health", "Authorization: " + TOKEN + "\r\n").status()).isEqualTo(200);
    }

    @Test
    void filtersRunBeforeWebSocketUpgradesAndTheSessionCarriesThePrincipal() throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            c.send(RawWebSocket.handshakeRequest("/ws/private", ""));
            RawResponse refused = c.readResponse();
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
        }
        try (RawWebSocket ws = RawWebSocket.to(port, "/ws/private?access_token=s3cret").connect()) {
            WsSession session = socket.opened.poll(10, TimeUnit.SECONDS);
            assertThat(session).isNotNull();
            assertThat(session.principal().getName()).isEqualTo("alice");
            assertThat(session.attributes()).containsEntry("trace", "tracing,token");
            assertThat(session.queryParameter("access_token")).isEqualTo("s3cret");
            ws.closeNormally();
        }
    }

    @Test
    void aFilterThatThrowsAnswers500AndTheConnectionAndLoopServeOn() throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            c.send("GET /failure HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawResponse failed = c.readResponse();
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.bodyText()).isEqualTo("Internal Server Error\n");
            c.send("GET /public HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
        assertThat(get("/public").status()).isEqualTo(200);
    }

    @Test
    void aFilterRefusesWithTheStatusOfItsExceptionOr403() throws Exception {
        RawResponse limited = get("/refuse-with-status");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.bodyText()).isEqualTo("slow down\n");
        RawResponse silent = get("/silent-refusal");
        assertThat(silent.status()).isEqualTo(403);
        assertThat(silent.bodyText()).isEqualTo("Forbidden\n");
    }
}
