package dev.ringhttp.autoconfigure;

import dev.ringhttp.core.ServerConfig;

/**
 * Adjusts the core {@link ServerConfig} that the auto-configuration builds,
 * for what the {@code ringhttp.server.*} properties do not express. Every
 * bean of this type is called, in {@link org.springframework.core.annotation.Order order},
 * with a builder that already holds the properties' values; the
 * configuration is built and validated after the last one.
 *
 * <p>The properties are validated on their own first and refused in their
 * own names. A value a customizer sets is refused in the builder's terms
 * ({@code maxConnections is 0; ...}), since that is what its code calls it.
 * Values the core derives from others (the request line limit, unless set)
 * are derived from what the customizers leave.
 *
 * <p>Not called when the application defines its own {@link ServerConfig}.
 */
@FunctionalInterface
public interface RingHttpServerConfigCustomizer {

    void customize(ServerConfig.Builder builder);
}
