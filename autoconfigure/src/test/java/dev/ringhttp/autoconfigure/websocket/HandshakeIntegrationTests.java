package dev.ringhttp.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.LocalRingHttpPort;
import dev.ringhttp.core.testing.RawConnection;
import dev.ringhttp.core.testing.RawResponse;
import dev.ringhttp.core.testing.RawWebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Handshake checks over real sockets: the {@code Origin} check (same origin, listed origins, no
 * origin at all), a {@code @WsHandler} that refuses with a status of its choice, and what an
 * accepted handshake leaves in the session.
 */
@SpringBootTest(classes = HandshakeIntegrationTests.App.class, properties = {
        "ringhttp.server.port=0", "ringhttp.server.max-connections=16", "ringhttp.server.max-websocket-connections=8",
        "ringhttp.server.outgoing-buffer-size=256KB",
        "ringhttp.server.websocket.allowed-origins=https://app.example.com, https://other.example.com/"})
class HandshakeIntegrationTests {

    @LocalRingHttpPort
    int port;

    @Autowired
    Room room;

    /** Admits a handshake with {@code ?ticket=ok}; refuses others with 401, or with 500 when asked to fail. */
    @WsHandler(path = "/ws/room", keepHeaders = "User-Agent", keepCookies = "session")
    static class Room implements WsListener {
        final BlockingQueue<WsSession> opened = new LinkedBlockingQueue<>();

        @Override
        public boolean onHandshake(WsHandshake handshake) {
            String ticket = handshake.queryParameter("ticket");
            if ("fail".equals(ticket)) {
                throw new IllegalStateException("handshake check bug, on purpose");
            }
            if ("silent".equals(ticket)) {
                return false;
            }
            if (!"ok".equals(ticket)) {
                handshake.refuse(401).header("WWW-Authenticate", "Ticket");
                return false;
            }
            handshake.attributes().put("nick", handshake.cookie("nick") == null ? "anon" : handshake.cookie("nick"));
            handshake.principal(() -> "ticket-holder");
            return true;
        }

        @Override
        public void onOpen(WsSession session) {
            opened.add(session);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        Room room() {
            return new Room();
        }
    }

    @BeforeEach
    void forgetEarlierSessions() {
        room.opened.clear();
    }

    /** Sends a handshake for {@code path} ({@code Host: localhost}) with extra header lines; returns the answer. */
    private RawResponse handshake(String path, String headerLines) throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            c.send(RawWebSocket.handshakeRequest(path, headerLines));
            return c.readResponse();
        }
    }

    @Test
    void aHandlerRefusesAHandshakeWithTheStatusItChooses() throws Exception {
        RawResponse refused = handshake("/ws/room?ticket=bad", "");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Ticket");
        assertThat(refused.bodyText()).isEqualTo("Unauthorized\n");
        assertThat(handshake("/ws/room?ticket=silent", "").status()).isEqualTo(403);
        assertThat(room.opened).isEmpty();
    }

    @Test
    void aHandshakeCheckThatThrowsRefuses500AndTheServerGoesOn() throws Exception {
        assertThat(handshake("/ws/room?ticket=fail", "").status()).isEqualTo(500);
        try (RawWebSocket ws = RawWebSocket.to(port, "/ws/room?ticket=ok").connect()) {
            assertThat(room.opened.poll(10, TimeUnit.SECONDS)).isNotNull();
            ws.closeNormally();
        }
    }

    @Test
    void aForeignOriginIsRefusedWith403() throws Exception {
        RawResponse refused = handshake("/ws/room?ticket=ok", "Origin: https://evil.example\r\n");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(handshake("/ws/room?ticket=ok", "Origin: http://localhost:1\r\n").status()).isEqualTo(403);
        assertThat(handshake("/ws/room?ticket=ok", "Origin: null\r\n").status()).isEqualTo(403);
        assertThat(room.opened).isEmpty();
    }

    @Test
    void theSameOriginAListedOriginAndNoOriginAreAccepted() throws Exception {
        // The handshake says Host: localhost; a listed origin matches without case or trailing slash.
        for (String origin : new String[] {"http://localhost", "http://localhost:80", "https://APP.example.com",
                "https://other.example.com", null}) {
            RawWebSocket.Connector connector = RawWebSocket.to(port, "/ws/room?ticket=ok");
            if (origin != null) {
                connector.header("Origin", origin);
            }
            try (RawWebSocket ws = connector.connect()) {
                assertThat(room.opened.poll(10, TimeUnit.SECONDS)).as(String.valueOf(origin)).isNotNull();
                ws.closeNormally();
            }
        }
    }

    @Test
    void theSessionKeepsThePrincipalAttributesQueryAndTheHeadersAndCookiesItsHandlerNamed() throws Exception {
        try (RawWebSocket ws = RawWebSocket.to(port, "/ws/room?ticket=ok&x=%C3%A9").header("User-Agent", "probe/1")
                .header("Cookie", "nick=\"bob\"; session=abc123").header("X-Not-Kept", "1").connect()) {
            WsSession session = room.opened.poll(10, TimeUnit.SECONDS);
            assertThat(session.principal().getName()).isEqualTo("ticket-holder");
            assertThat(session.attributes()).containsEntry("nick", "bob");
            assertThat(session.query()).isEqualTo("ticket=ok&x=%C3%A9");
            assertThat(session.queryParameter("x")).isEqualTo("é");
            assertThat(session.handshakeHeader("user-agent")).isEqualTo("probe/1");
            assertThat(session.handshakeHeader("X-Not-Kept")).isNull();
            assertThat(session.cookie("session")).isEqualTo("abc123");
            assertThat(session.cookie("nick")).isNull();
            ws.closeNormally();
        }
    }
}
