package dev.ringhttp.autoconfigure.server;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * A ringhttp application for the web-server tests: {@code /hello}, and
 * {@code /slow}, whose response is in flight until a test completes it. No
 * component scan, so that the test configurations beside it stay out.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class WebServerTestApplication {

    /** Small buffers, so that each application allocates little. */
    static final String[] SMALL_SERVER = {
            "spring.main.banner-mode=off",
            "ringhttp.server.max-connections=8",
            "ringhttp.server.max-websocket-connections=2",
            "ringhttp.server.max-request-size=8KB",
            "ringhttp.server.max-websocket-message-size=4KB",
            "ringhttp.server.outgoing-buffer-size=1MB" };

    @Bean
    Routes routes() {
        return new Routes();
    }

    @Bean
    InitializedEvents initializedEvents() {
        return new InitializedEvents();
    }

    public static class Routes {

        /** Counted down when {@code /slow} has been called, so that a test knows its response is in flight. */
        final CountDownLatch slowCalled = new CountDownLatch(1);

        /** The response of {@code /slow}; a test completes it, or leaves it in flight. */
        final CompletableFuture<String> slowResponse = new CompletableFuture<>();

        @HttpRoute("/hello")
        public String hello() {
            return "hello";
        }

        @HttpRoute("/slow")
        public CompletableFuture<String> slow() {
            slowCalled.countDown();
            return slowResponse;
        }
    }

    /** Every {@link WebServerInitializedEvent} the application published. */
    public static class InitializedEvents implements ApplicationListener<WebServerInitializedEvent> {

        final List<WebServerInitializedEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            events.add(event);
        }
    }
}
