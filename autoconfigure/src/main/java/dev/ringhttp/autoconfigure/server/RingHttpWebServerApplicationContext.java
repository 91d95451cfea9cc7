package dev.ringhttp.autoconfigure.server;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.web.server.context.ConfigurableWebServerApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The application context a Spring Boot application with ringhttp runs in:
 * Boot's plain annotation-config context that is also a
 * {@link org.springframework.boot.web.server.context.WebServerApplicationContext},
 * so that the port is published as {@code local.server.port} and the
 * application counts as one with a web server wherever Boot and libraries
 * ask.
 *
 * <p>Unlike Boot's servlet and reactive contexts it does not create the
 * server: the auto-configuration builds the ringhttp server as a bean and
 * its lifecycle starts it, so the starter behaves the same in any context.
 * This one only answers for it.
 */
public class RingHttpWebServerApplicationContext extends AnnotationConfigApplicationContext
        implements ConfigurableWebServerApplicationContext {

    private volatile @Nullable String serverNamespace;

    /**
     * The ringhttp web server once its bean exists, else null. Never creates
     * the bean, so asking early changes nothing.
     */
    @Override
    public @Nullable RingHttpWebServer getWebServer() {
        ConfigurableListableBeanFactory beans = getBeanFactory();
        for (String name : beans.getBeanNamesForType(RingHttpWebServer.class, false, false)) {
            if (beans.containsSingleton(name)) {
                return beans.getBean(name, RingHttpWebServer.class);
            }
        }
        return null;
    }

    @Override
    public @Nullable String getServerNamespace() {
        return serverNamespace;
    }

    @Override
    public void setServerNamespace(@Nullable String serverNamespace) {
        this.serverNamespace = serverNamespace;
    }
}
