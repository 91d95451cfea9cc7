package dev.ringhttp.autoconfigure;

import dev.ringhttp.autoconfigure.resource.StaticResourceContributor;
import dev.ringhttp.autoconfigure.resource.StaticResourceLoader;
import dev.ringhttp.autoconfigure.resource.StaticResources;
import dev.ringhttp.autoconfigure.route.RouteDispatcher;
import dev.ringhttp.autoconfigure.route.RouteObserver;
import dev.ringhttp.core.RingHttpServer;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;
import org.springframework.util.unit.DataSize;

/**
 * Serves the files of {@code spring.web.resources.static-locations}
 * ({@code classpath:/static/} and {@code classpath:/public/} unless set) on
 * the ringhttp server, {@code index.html} at its directory. They are loaded
 * at start-up, within {@code ringhttp.static.max-total-size}, and the start
 * is logged with their count and size. Routes take precedence. Off with
 * {@code ringhttp.static.enabled=false}.
 *
 * <p>Ordered after the actuator's contributor, so that the actuator's paths
 * are asked first.
 */
@AutoConfiguration(after = RingHttpAutoConfiguration.class,
        afterName = "dev.ringhttp.autoconfigure.actuate.RingHttpActuatorWebAutoConfiguration")
@ConditionalOnClass(RingHttpServer.class)
@ConditionalOnBean(RouteDispatcher.class)
@ConditionalOnBooleanProperty(name = "ringhttp.static.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RingHttpStaticProperties.class)
public final class RingHttpStaticResourcesAutoConfiguration {

    /** Where Spring Boot's own servers look first for static files. */
    static final List<String> DEFAULT_LOCATIONS = List.of("classpath:/static/", "classpath:/public/");

    static final String LOCATIONS_PROPERTY = "spring.web.resources.static-locations";
    static final String MAX_TOTAL_SIZE_PROPERTY = "ringhttp.static.max-total-size";

    private static final Log LOG = LogFactory.getLog(RingHttpStaticResourcesAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    StaticResourceContributor ringHttpStaticResourceContributor(RingHttpStaticProperties properties,
            Environment environment, ResourceLoader resourceLoader, ObjectProvider<RouteObserver> observer) {
        List<String> locations = Binder.get(environment).bind(LOCATIONS_PROPERTY, Bindable.listOf(String.class))
                .orElse(DEFAULT_LOCATIONS);
        StaticResources resources = new StaticResourceLoader(
                ResourcePatternUtils.getResourcePatternResolver(resourceLoader), MAX_TOTAL_SIZE_PROPERTY)
                .load(locations, properties.getMaxTotalSize().toBytes());
        if (resources.files().isEmpty()) {
            LOG.debug("No static resources in " + locations);
        } else {
            int count = resources.files().size();
            LOG.info("ringhttp serves " + count + (count == 1 ? " static file, " : " static files, ") + resources.totalBytes()
                    + " bytes in direct memory (" + MAX_TOTAL_SIZE_PROPERTY + "=" + asProperty(properties.getMaxTotalSize())
                    + "), from " + locations);
        }
        return new StaticResourceContributor(resources, properties.getCacheControl(),
                observer.getIfAvailable(() -> RouteObserver.NONE));
    }

    /** The size as a property value would say it: {@code 16MB}, not {@code 16777216B}. */
    static String asProperty(DataSize size) {
        long bytes = size.toBytes();
        if (bytes > 0 && bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
            return size.toMegabytes() + "MB";
        }
        if (bytes > 0 && bytes % DataSize.ofKilobytes(1).toBytes() == 0) {
            return size.toKilobytes() + "KB";
        }
        return bytes + "B";
    }
}
