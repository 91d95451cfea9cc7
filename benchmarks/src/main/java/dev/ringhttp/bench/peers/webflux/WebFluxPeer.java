package dev.ringhttp.bench.peers.webflux;

import dev.ringhttp.bench.peers.Payload;
import dev.ringhttp.bench.peers.PeerOptions;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Spring WebFlux on Reactor Netty (Spring Boot 4 {@code spring-boot-starter-webflux}), Boot's defaults (Reactor
 * Netty's event loops, epoll when present). {@code /hello} is a functional route with a constant body (plus a {@code Date} header, which Reactor Netty does not add); {@code /ws}
 * a reactive {@code WebSocketHandler} subscribed to one hot {@code Sinks.Many}. Runs only from its own classpath
 * (see {@code spring-classpath/webflux/pom.xml}).
 *
 * <p>Back-pressure is Reactive Streams demand. {@code WAIT}: the sink is {@code directAllOrNothing}, so a message is
 * emitted only when every session has demand, and the broadcaster retries until then. {@code CLOSE}: the sink is
 * {@code directBestEffort} and each session buffers at most 256 messages ({@code onBackpressureBuffer}, overflow
 * is an error that ends that session).
 */
@SpringBootApplication
public class WebFluxPeer {

    private static final PeerOptions OPTIONS = PeerOptions.fromSystemProperties();
    private static final Sinks.Many<byte[]> SINK = OPTIONS.policy() == PeerOptions.Policy.WAIT
            ? Sinks.many().multicast().directAllOrNothing()
            : Sinks.many().multicast().directBestEffort();

    @Bean
    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/hello", request -> ServerResponse.ok()
                        .contentType(MediaType.TEXT_PLAIN).header("Date", Payload.httpDate()).bodyValue(Payload.HELLO))
                .build();
    }

    @Bean
    HandlerMapping webSocketMapping() {
        WebSocketHandler handler = session -> {
            Flux<byte[]> feed = SINK.asFlux();
            if (OPTIONS.policy() == PeerOptions.Policy.CLOSE) {
                feed = feed.onBackpressureBuffer(OPTIONS.maxPending(), BufferOverflowStrategy.ERROR);
            }
            return session.send(feed.map(bytes -> new WebSocketMessage(WebSocketMessage.Type.TEXT,
                            session.bufferFactory().wrap(bytes))))
                    .and(session.receive().then());
        };
        return new SimpleUrlHandlerMapping(Map.of("/ws", handler), -1);
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(WebFluxPeer.class);
        app.setDefaultProperties(Map.of(
                "server.port", OPTIONS.port(),
                "server.address", "127.0.0.1",
                "spring.main.banner-mode", "off"));
        app.run(args);
        if (OPTIONS.size() > 0) {
            Thread t = new Thread(WebFluxPeer::broadcast, "webflux-broadcaster");
            t.setDaemon(true);
            t.start();
        }
        PeerOptions.ready("spring-webflux-netty", OPTIONS.port());
    }

    private static void broadcast() {
        byte[] template = Payload.template(OPTIONS.size());
        while (true) {
            byte[] message = Payload.stamped(template);
            Sinks.EmitResult result;
            while ((result = SINK.tryEmitNext(message)) != Sinks.EmitResult.OK) {
                if (result == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
                    LockSupport.parkNanos(1_000_000);
                } else {
                    LockSupport.parkNanos(20_000); // some session has no demand: wait for it
                }
                if (result == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER || result == Sinks.EmitResult.FAIL_OVERFLOW) {
                    continue;
                }
                break; // terminated or cancelled: drop
            }
        }
    }
}
