package dev.ringhttp.autoconfigure.server;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;

/**
 * Published once the ringhttp server listens, as Boot's servlet and reactive
 * servers publish theirs: Boot sets {@code local.server.port} from it, and
 * whatever else listens for {@link WebServerInitializedEvent} (a port file
 * writer, a service registry client) learns the port from it.
 */
@SuppressWarnings("serial") // ApplicationEvent is Serializable; neither the server nor the context is
public final class RingHttpWebServerInitializedEvent extends WebServerInitializedEvent {

    private final WebServerApplicationContext applicationContext;

    public RingHttpWebServerInitializedEvent(RingHttpWebServer webServer,
            WebServerApplicationContext applicationContext) {
        super(webServer);
        this.applicationContext = applicationContext;
    }

    @Override
    public RingHttpWebServer getWebServer() {
        return (RingHttpWebServer) getSource();
    }

    @Override
    public WebServerApplicationContext getApplicationContext() {
        return applicationContext;
    }
}
