package dev.ringhttp.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Finds the {@code server.*} properties an application sets that ringhttp
 * does not apply, and warns about them once at start-up, so that a setting
 * meant for a servlet or reactive server (a context path, compression) is
 * not silently without effect. Of Boot's {@code server.*} properties ringhttp
 * applies {@code server.port}, {@code server.address} and
 * {@code server.shutdown}. TLS asked for ({@code server.ssl.*}) is not
 * merely ignored: {@link ServerConfigMapper} refuses it.
 *
 * <p>Only the groups Boot defines under {@code server.} are looked at, not
 * every name with that prefix: environment variables such as
 * {@code SERVER_NAME}, which some hosts set for their own purposes, also map
 * to {@code server.*} names. Only names are logged, never values, which may
 * be secrets (key store passwords).
 */
final class IgnoredServerProperties {

    private static final Log LOG = LogFactory.getLog(IgnoredServerProperties.class);

    /** Boot's {@code server.*} groups and properties (4.0) for servlet and reactive servers. */
    private static final List<ConfigurationPropertyName> IGNORED = Stream.of("servlet", "reactive", "ssl",
            "compression", "http2", "error", "mime-mappings", "max-http-request-header-size",
            "forward-headers-strategy", "server-header", "tomcat", "jetty", "netty")
            .map(group -> ConfigurationPropertyName.of("server." + group)).toList();

    /** Spring Boot DevTools' defaults (servlet session and error settings), which the user did not set. */
    private static final String DEVTOOLS_SOURCE = "devtools";

    private IgnoredServerProperties() {
    }

    /** Logs one warning naming the ignored {@code server.*} properties set, if there are any. */
    static void warnIfAny(Environment environment) {
        List<String> names = find(environment);
        if (!names.isEmpty()) {
            LOG.warn("ringhttp is this application's web server and ignores these server.* properties, which"
                    + " configure servlet and reactive web servers: " + String.join(", ", names) + ". It applies"
                    + " server.port, server.address and server.shutdown; its own settings are under"
                    + " ringhttp.server.*.");
        }
    }

    /** The ignored {@code server.*} properties set in {@code environment}, sorted, each once. */
    static List<String> find(Environment environment) {
        Set<String> names = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable && !isDevToolsDefaults(source)) {
                iterable.stream().filter(IgnoredServerProperties::isIgnored)
                        .forEach(name -> names.add(name.toString()));
            }
        }
        return List.copyOf(names);
    }

    /** Compared as Boot binds: {@code SERVER_SSL_ENABLED} and {@code server.ssl.enabled} are one name. */
    private static boolean isIgnored(ConfigurationPropertyName name) {
        return IGNORED.stream().anyMatch(group -> group.equals(name) || group.isAncestorOf(name));
    }

    private static boolean isDevToolsDefaults(ConfigurationPropertySource source) {
        return source.getUnderlyingSource() instanceof PropertySource<?> propertySource
                && DEVTOOLS_SOURCE.equals(propertySource.getName());
    }
}
