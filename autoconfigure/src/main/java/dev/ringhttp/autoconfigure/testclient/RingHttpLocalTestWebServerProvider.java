package dev.ringhttp.autoconfigure.testclient;

import dev.ringhttp.autoconfigure.server.RingHttpWebServer;
import dev.ringhttp.autoconfigure.server.RingHttpWebServerApplicationContext;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.http.server.LocalTestWebServer;
import org.springframework.boot.test.http.server.LocalTestWebServer.BaseUriDetails;
import org.springframework.boot.test.http.server.LocalTestWebServer.Scheme;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Tells Boot's test clients ({@code TestRestTemplate}, {@code RestTestClient}
 * and others that ask {@link LocalTestWebServer}) where the ringhttp server
 * of a test's application context listens. Registered in
 * {@code META-INF/spring.factories}; Boot constructs it with the context.
 *
 * <p>A servlet or reactive web server context is left to Boot's own
 * providers, since its server, not ringhttp, is the one those clients mean.
 * The port is read on the first request, when the server has started.
 */
final class RingHttpLocalTestWebServerProvider implements LocalTestWebServer.Provider {

    private final ApplicationContext context;

    RingHttpLocalTestWebServerProvider(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public @Nullable LocalTestWebServer getLocalTestWebServer() {
        boolean anotherServersContext = context instanceof WebServerApplicationContext
                && !(context instanceof RingHttpWebServerApplicationContext);
        if (anotherServersContext) {
            return null;
        }
        RingHttpWebServer server = context.getBeanProvider(RingHttpWebServer.class).getIfUnique();
        if (server == null) {
            return null;
        }
        return LocalTestWebServer.of(Scheme.HTTP, () -> new BaseUriDetails(server.getPort(), ""));
    }
}
