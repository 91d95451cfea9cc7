package dev.ringhttp.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.server.WebServerTestApplication.InitializedEvents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;

/**
 * A Spring Boot application with ringhttp runs in a web-server application
 * context, as a servlet or reactive one does: the context knows the server,
 * and the server's start is announced with a {@link WebServerInitializedEvent}
 * carrying both, from which Boot publishes {@code local.server.port}.
 */
@SpringBootTest(classes = WebServerTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"ringhttp.server.max-connections=8", "ringhttp.server.max-websocket-connections=2",
                "ringhttp.server.outgoing-buffer-size=1MB", "spring.main.banner-mode=off"})
class WebServerApplicationContextIntegrationTests {

    @Autowired
    ApplicationContext context;

    @Autowired
    RingHttpWebServer webServer;

    @Autowired
    InitializedEvents initializedEvents;

    @Test
    void runsInAWebServerApplicationContextThatKnowsTheServer() {
        assertThat(context).isInstanceOf(RingHttpWebServerApplicationContext.class);
        WebServerApplicationContext webServerContext = (WebServerApplicationContext) context;
        assertThat(webServerContext.getWebServer()).isSameAs(webServer);
        assertThat(webServerContext.getServerNamespace()).isNull();
    }

    @Test
    void announcesTheStartedServerWithItsContext() {
        assertThat(initializedEvents.events).singleElement().satisfies(event -> {
            assertThat(event).isInstanceOf(RingHttpWebServerInitializedEvent.class);
            assertThat(event.getWebServer()).isSameAs(webServer);
            assertThat(event.getApplicationContext()).isSameAs(context);
        });
        assertThat(context.getEnvironment().getProperty("local.server.port", Integer.class))
                .isEqualTo(webServer.getPort());
    }
}
