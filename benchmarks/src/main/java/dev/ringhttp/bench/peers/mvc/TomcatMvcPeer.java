package dev.ringhttp.bench.peers.mvc;

import dev.ringhttp.bench.peers.FanOut;
import dev.ringhttp.bench.peers.Payload;
import dev.ringhttp.bench.peers.PeerOptions;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Spring MVC on Tomcat (Spring Boot 4 {@code spring-boot-starter-webmvc} + {@code -websocket}), Boot's defaults:
 * Tomcat NIO connector, 200 worker threads. {@code /hello} is a {@code @GetMapping} returning a String
 * ({@code text/plain;charset=UTF-8}); {@code /ws} a {@code TextWebSocketHandler} registered with
 * {@code @EnableWebSocket}. Runs only from its own classpath (see {@code spring-classpath/mvc/pom.xml}).
 *
 * <p>Back-pressure: Spring's own answer, {@code ConcurrentWebSocketSessionDecorator} (send time limit 10 s,
 * buffer 512 KiB, overflow {@code TERMINATE}) around each session. Its {@code sendMessage} writes in the calling
 * thread and blocks while the socket is full, so one client that stops reading holds the broadcaster until
 * Tomcat's blocking-send timeout ends that session.
 */
@SpringBootApplication
@RestController
@EnableWebSocket
public class TomcatMvcPeer implements WebSocketConfigurer {

    private static final int SEND_TIME_LIMIT_MILLIS = 10_000;
    private static final int BUFFER_SIZE_LIMIT = 512 * 1024;

    private final Broadcast fanOut = new Broadcast(PeerOptions.fromSystemProperties());

    @GetMapping(path = "/hello", produces = "text/plain")
    public String hello() {
        return Payload.HELLO;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new TextWebSocketHandler() {
            @Override
            public void afterConnectionEstablished(WebSocketSession session) {
                session.getAttributes().put("member", fanOut.join(new ConcurrentWebSocketSessionDecorator(
                        session, SEND_TIME_LIMIT_MILLIS, BUFFER_SIZE_LIMIT,
                        ConcurrentWebSocketSessionDecorator.OverflowStrategy.TERMINATE)));
            }

            @Override
            @SuppressWarnings("unchecked")
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
                fanOut.leave((FanOut.Member<WebSocketSession>) session.getAttributes().get("member"));
            }
        }, "/ws");
    }

    public static void main(String[] args) {
        PeerOptions options = PeerOptions.fromSystemProperties();
        SpringApplication app = new SpringApplication(TomcatMvcPeer.class);
        app.setDefaultProperties(Map.of(
                "server.port", options.port(),
                "server.address", "127.0.0.1",
                "spring.main.banner-mode", "off"));
        ConfigurableApplicationContext context = app.run(args);
        context.getBean(TomcatMvcPeer.class).fanOut.startIfWanted("mvc");
        PeerOptions.ready("spring-mvc-tomcat", options.port());
    }

    static final class Broadcast extends FanOut<WebSocketSession> {
        Broadcast(PeerOptions options) {
            super(options);
        }

        @Override
        protected Object prepare(byte[] message) {
            return new TextMessage(message);
        }

        @Override
        protected void send(Member<WebSocketSession> m, Object prepared) {
            try {
                m.session.sendMessage((TextMessage) prepared);
            } catch (IOException | RuntimeException e) {
                leave(m);
            } finally {
                m.done();
            }
        }

        @Override
        protected void close(Member<WebSocketSession> m) {
            try {
                m.session.close(CloseStatus.SESSION_NOT_RELIABLE);
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
