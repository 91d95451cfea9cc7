package dev.ringhttp.autoconfigure.actuate;

import dev.ringhttp.core.ServerContext;
import dev.ringhttp.autoconfigure.RingHttpAutoConfiguration;
import dev.ringhttp.autoconfigure.RingHttpProperties;
import dev.ringhttp.autoconfigure.RingHttpServerConfigCustomizer;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointFilter;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationFilter;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.ParameterValueMapper;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMapper;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpointDiscoverer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointProperties;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Actuator web endpoints on the ringhttp server ({@link ActuatorRouteContributor}),
 * under {@code management.endpoints.web.base-path}, honouring
 * {@code management.endpoints.web.exposure.*}, path mappings and endpoint
 * access. Off with {@code ringhttp.server.actuator.enabled=false}.
 *
 * <p>Boot's {@link WebEndpointAutoConfiguration} only runs in a servlet or
 * reactive web application, which a ringhttp application usually is not; in
 * that case this configuration supplies the web endpoint discovery it would
 * have created, with the same exposure and access filters, and the health
 * endpoint's web extension (so a DOWN application answers 503).
 *
 * <p>{@code management.server.port}, as in Boot: unset or equal to the
 * server's port, the endpoints answer on the server's port; another port (0
 * for a free one, published as {@code local.management.port}) gets a second
 * listener of the same server, and the endpoints answer there only, under
 * {@code management.server.base-path} plus the endpoints' base path;
 * {@code management.server.address} binds it elsewhere; a negative port
 * serves no endpoint over HTTP at all.
 */
@AutoConfiguration(after = { RingHttpAutoConfiguration.class, EndpointAutoConfiguration.class,
        WebEndpointAutoConfiguration.class }, afterName = {
                "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration",
                "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" })
@ConditionalOnClass({ WebEndpointDiscoverer.class, WebEndpointProperties.class, JsonMapper.class,
        RingHttpServer.class })
@ConditionalOnBean(RingHttpServer.class)
@ConditionalOnBooleanProperty(name = "ringhttp.server.actuator.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ WebEndpointProperties.class, ManagementServerProperties.class })
public final class RingHttpActuatorWebAutoConfiguration {

    /** The port the server listens on when neither ringhttp's nor Boot's property names one. */
    private static final int DEFAULT_PORT = 8080;

    private static final int MAX_PORT = 65_535;

    /** Puts a separate {@code management.server.port} on the server as its management listener. */
    @Bean
    RingHttpServerConfigCustomizer ringHttpManagementPortCustomizer(ManagementServerProperties management,
            RingHttpProperties properties, ServerProperties server) {
        return builder -> {
            int port = managementPort(management, properties, server);
            if (port != ServerConfig.NO_MANAGEMENT_PORT) {
                builder.managementPort(port);
                if (management.getAddress() != null) {
                    builder.managementAddress(management.getAddress());
                }
            }
        };
    }

    /**
     * The management listener's port, or {@link ServerConfig#NO_MANAGEMENT_PORT} when the
     * endpoints share the server's port (unset, or the same fixed port) or are off (negative).
     */
    static int managementPort(ManagementServerProperties management, RingHttpProperties properties,
            ServerProperties server) {
        Integer port = management.getPort();
        if (port == null || port < 0) {
            return ServerConfig.NO_MANAGEMENT_PORT;
        }
        if (port > MAX_PORT) {
            throw new InvalidConfigurationPropertyValueException("management.server.port", port,
                    "It must be between 0 and " + MAX_PORT + ", or negative to serve no endpoint over HTTP.");
        }
        Integer own = properties.getPort() != null ? properties.getPort() : server.getPort();
        int serverPort = own != null ? own : DEFAULT_PORT;
        return port != 0 && port == serverPort ? ServerConfig.NO_MANAGEMENT_PORT : port;
    }

    /**
     * Depends on the endpoints only through a provider, resolved once every
     * singleton exists, and on the server only through its {@link ServerContext}:
     * the server depends on its dispatcher, the dispatcher on this contributor,
     * and endpoints (such as {@code ringhttp}) on the server. Only the ringhttp
     * auto-configuration's dispatcher asks contributors, and the context comes with it.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ServerContext.class)
    @ConditionalOnExpression("${management.server.port:0} >= 0")
    ActuatorRouteContributor ringHttpActuatorRouteContributor(WebEndpointProperties properties,
            ObjectProvider<WebEndpointsSupplier> suppliers, ServerContext context,
            ObjectProvider<EndpointJsonMapper> endpointJsonMapper, ObjectProvider<JsonMapper> jsonMapper,
            ManagementServerProperties management, ServerConfig config) {
        JsonMapper mapper = jsonMapper.getIfUnique(() -> JsonMapper.builder().build());
        JsonMapper endpointMapper = endpointJsonMapper.stream().findFirst().map(EndpointJsonMapper::get).orElse(mapper);
        // As in Boot, management.server.base-path applies only on a port of the management's own.
        String basePath = (config.hasManagementPort() ? management.getBasePath() : "") + properties.getBasePath();
        return new ActuatorRouteContributor(basePath, properties.getDiscovery().isEnabled(),
                () -> suppliers.orderedStream()
                        .<ExposableWebEndpoint>flatMap(supplier -> supplier.getEndpoints().stream()).toList(),
                context, endpointMapper, mapper);
    }

    /** Web endpoint discovery as {@link WebEndpointAutoConfiguration} would create it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(WebEndpointsSupplier.class)
    static class WebEndpointDiscoveryConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EndpointMediaTypes endpointMediaTypes() {
            return EndpointMediaTypes.DEFAULT;
        }

        @Bean
        PathMapper ringHttpWebEndpointPathMapper(WebEndpointProperties properties) {
            Map<EndpointId, String> mapping = new LinkedHashMap<>();
            properties.getPathMapping().forEach((id, path) -> mapping.put(EndpointId.fromPropertyValue(id), path));
            return mapping::get;
        }

        @Bean
        IncludeExcludeEndpointFilter<ExposableWebEndpoint> ringHttpWebExposeExcludePropertyEndpointFilter(
                WebEndpointProperties properties) {
            WebEndpointProperties.Exposure exposure = properties.getExposure();
            return new IncludeExcludeEndpointFilter<>(ExposableWebEndpoint.class, exposure.getInclude(),
                    exposure.getExclude(), EndpointExposure.WEB.getDefaultIncludes());
        }

        @Bean
        OperationFilter<WebOperation> ringHttpWebAccessPropertiesOperationFilter(EndpointAccessResolver resolver) {
            return OperationFilter.byAccess(resolver);
        }

        @Bean
        WebEndpointDiscoverer webEndpointDiscoverer(ApplicationContext context,
                ParameterValueMapper parameterValueMapper, EndpointMediaTypes mediaTypes,
                ObjectProvider<PathMapper> pathMappers, ObjectProvider<AdditionalPathsMapper> additionalPathsMappers,
                ObjectProvider<OperationInvokerAdvisor> invokerAdvisors,
                ObjectProvider<EndpointFilter<ExposableWebEndpoint>> endpointFilters,
                ObjectProvider<OperationFilter<WebOperation>> operationFilters) {
            return new WebEndpointDiscoverer(context, parameterValueMapper, mediaTypes,
                    pathMappers.orderedStream().toList(), additionalPathsMappers.orderedStream().toList(),
                    invokerAdvisors.orderedStream().toList(), endpointFilters.orderedStream().toList(),
                    operationFilters.orderedStream().toList());
        }
    }

    /** The health endpoint's web extension, which Boot only creates for servlet applications: DOWN answers 503. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthEndpointWebExtension.class)
    @ConditionalOnBean({ HealthEndpoint.class, HealthContributorRegistry.class, HealthEndpointGroups.class })
    static class HealthEndpointWebExtensionConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(endpoint = HealthEndpoint.class, exposure = EndpointExposure.WEB)
        HealthEndpointWebExtension healthEndpointWebExtension(HealthContributorRegistry registry,
                ObjectProvider<ReactiveHealthContributorRegistry> reactiveRegistry, HealthEndpointGroups groups,
                HealthEndpointProperties properties) {
            return new HealthEndpointWebExtension(registry, reactiveRegistry.getIfAvailable(), groups,
                    properties.getLogging().getSlowIndicatorThreshold());
        }
    }
}
