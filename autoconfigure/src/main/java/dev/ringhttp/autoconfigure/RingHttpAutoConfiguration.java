package dev.ringhttp.autoconfigure;

import dev.ringhttp.autoconfigure.route.BlockingExecutor;
import dev.ringhttp.autoconfigure.route.RouteContributor;
import dev.ringhttp.autoconfigure.route.RouteConverters;
import dev.ringhttp.autoconfigure.route.RouteDiscovery;
import dev.ringhttp.autoconfigure.route.RouteDispatcher;
import dev.ringhttp.autoconfigure.route.RequestObserver;
import dev.ringhttp.autoconfigure.route.RouteObserver;
import dev.ringhttp.autoconfigure.security.OriginPolicy;
import dev.ringhttp.autoconfigure.security.RingHttpFilter;
import dev.ringhttp.autoconfigure.security.RingHttpFilterChain;
import dev.ringhttp.autoconfigure.server.ProcessExit;
import dev.ringhttp.autoconfigure.server.RingHttpLoopFailureHandler;
import dev.ringhttp.autoconfigure.server.RingHttpServerLifecycle;
import dev.ringhttp.autoconfigure.server.RingHttpWebServer;
import dev.ringhttp.autoconfigure.websocket.BroadcastRelay;
import dev.ringhttp.autoconfigure.websocket.JsonMessages;
import dev.ringhttp.autoconfigure.websocket.WebSocketMessenger;
import dev.ringhttp.autoconfigure.websocket.WsEndpoints;
import dev.ringhttp.autoconfigure.websocket.WsHandlerDiscovery;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.ServerContext;
import java.time.Duration;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a ringhttp server in the application: built from
 * {@code ringhttp.server.*} (and Boot's {@code server.port},
 * {@code server.address} where ringhttp's are unset) and any
 * {@link RingHttpServerConfigCustomizer} beans, answering {@code @HttpRoute}
 * methods and {@code @WsHandler} beans. It is the application's web server
 * in Boot's terms ({@link RingHttpWebServer}): started and stopped with the
 * context in the phases of Boot's own servers, shut down as
 * {@code server.shutdown} says. Backs off bean by bean: an application that
 * defines its own {@link RingHttpServer} (or {@link ServerConfig}) keeps it,
 * and the lifecycle manages that one. If the server's event loop dies, the
 * application exits, or keeps running with health DOWN
 * ({@code ringhttp.server.on-loop-failure}).
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
        "org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration"})
@ConditionalOnClass(RingHttpServer.class)
@ConditionalOnProperty(prefix = "ringhttp.server", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({RingHttpProperties.class, RingHttpRouteProperties.class, ServerProperties.class})
public final class RingHttpAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ServerConfig ringHttpServerConfig(RingHttpProperties properties, ServerProperties serverProperties,
            ObjectProvider<RingHttpServerConfigCustomizer> customizers) {
        return ServerConfigMapper.toServerConfig(properties, serverProperties, customizers.orderedStream().toList());
    }

    /**
     * What the server's handlers (the route dispatcher, its contributors, the WebSocket endpoints)
     * keep to reach it: they are built before it, and the server built with this context takes it.
     */
    @Bean
    @ConditionalOnMissingBean
    ServerContext ringHttpServerContext() {
        return ServerContext.create();
    }

    /** Upgrades from a browser page of another origin than the server's are refused unless allowed. */
    @Bean
    @ConditionalOnMissingBean
    WsEndpoints ringHttpWsEndpoints(ServerConfig config, ServerContext context,
            ObjectProvider<JsonMessages> json, RingHttpProperties properties) {
        return new WsEndpoints(config.maxConnections(), config.maxWsConnections(), config.compressWebSocket(), context,
                json.getIfAvailable(), new OriginPolicy(properties.getWebsocket().getAllowedOrigins()));
    }

    /**
     * Every {@link RingHttpFilter} bean runs, in order, before routes, contributed routes (actuator)
     * and upgrades. With a management listener in the configuration, the contributed routes answer
     * there only.
     */
    @Bean
    @ConditionalOnMissingBean
    RouteDispatcher ringHttpRouteDispatcher(RouteConverters converters, RingHttpProperties properties,
            ObjectProvider<RouteContributor> contributors, ObjectProvider<RouteObserver> observer,
            ObjectProvider<RequestObserver> requests, WsEndpoints endpoints, ServerContext context,
            ObjectProvider<RingHttpFilter> filters, ServerConfig config) {
        RouteObserver routeObserver = observer.getIfAvailable(() -> RouteObserver.NONE);
        RingHttpFilterChain chain = new RingHttpFilterChain(filters.orderedStream().toList(),
                (filter, error) -> routeObserver.handlerFailed(RouteDispatcher.FILTER_ROUTE, error));
        return new RouteDispatcher(converters, contributors.orderedStream().toList(),
                routeObserver, requests.getIfAvailable(() -> RequestObserver.NONE), endpoints, context, chain,
                config.hasManagementPort());
    }

    /** Closed with the context, after the server has stopped: the calls in progress may still answer. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    BlockingExecutor ringHttpBlockingExecutor(RingHttpRouteProperties properties) {
        return new BlockingExecutor(properties.getBlockingThreads(), properties.getBlockingQueueCapacity());
    }

    /**
     * spring-web's message converters, for request bodies and answers: built as Boot builds Spring
     * MVC's (its {@code ServerHttpMessageConvertersCustomizer}s where its http-converter module is
     * present, so {@code HttpMessageConverter} beans and the application's {@code JsonMapper} count).
     */
    @Bean
    @ConditionalOnMissingBean
    RouteConverters ringHttpRouteConverters(ListableBeanFactory beans) {
        return new RouteConverters(ServerMessageConverters.build(beans));
    }

    /** Routes get the global CORS configuration ({@code ringhttp.server.cors.*}) under their {@code @CrossOrigin}. */
    @Bean
    static RouteDiscovery ringHttpRouteDiscovery(ApplicationContext context, RouteDispatcher dispatcher,
            ObjectProvider<RouteConverters> converters, BlockingExecutor blocking,
            RingHttpRouteProperties properties, RingHttpProperties serverProperties) {
        return new RouteDiscovery(context, dispatcher, ApplicationConversionService.getSharedInstance(),
                converters.getObject(), blocking, properties.isBlocking(),
                serverProperties.getCors().toCorsConfiguration());
    }

    @Bean
    static WsHandlerDiscovery ringHttpWsHandlerDiscovery(ApplicationContext context, WsEndpoints endpoints) {
        return new WsHandlerDiscovery(context, endpoints);
    }

    @Bean
    @ConditionalOnMissingBean
    RingHttpServer ringHttpServer(ServerConfig config, ServerContext context, RouteDispatcher dispatcher,
            WsEndpoints endpoints) {
        return ServerConfigMapper.create(config, context, dispatcher, endpoints);
    }

    /** Its broadcasts go to the other instances too where a {@link BroadcastRelay} (the cluster) is defined. */
    @Bean
    @ConditionalOnMissingBean
    WebSocketMessenger ringHttpWebSocketMessenger(RingHttpServer server, WsEndpoints endpoints,
            ObjectProvider<JsonMessages> json, ObjectProvider<BroadcastRelay> relay) {
        return new WebSocketMessenger(server, endpoints, json.getIfAvailable(),
                relay.getIfUnique(() -> BroadcastRelay.NONE));
    }

    /**
     * The server in Boot's terms, stopped as {@code server.shutdown} says, within the shutdown phase's
     * timeout ({@code spring.lifecycle.timeout-per-shutdown-phase}; Boot's default where no
     * {@link LifecycleProperties} bean exists). Built once, so it is where the {@code server.*}
     * properties ringhttp ignores are reported.
     */
    @Bean
    @ConditionalOnMissingBean
    RingHttpWebServer ringHttpWebServer(RingHttpServer server, RingHttpProperties properties,
            ServerProperties serverProperties, ObjectProvider<LifecycleProperties> lifecycle,
            Environment environment) {
        IgnoredServerProperties.warnIfAny(environment);
        Duration phaseTimeout = lifecycle.getIfAvailable(LifecycleProperties::new).getTimeoutPerShutdownPhase();
        return new RingHttpWebServer(server, serverProperties.getShutdown(),
                ServerConfigMapper.gracePeriod(properties, phaseTimeout));
    }

    @Bean
    @ConditionalOnMissingBean
    RingHttpServerLifecycle ringHttpServerLifecycle(RingHttpWebServer webServer,
            ConfigurableApplicationContext context) {
        return new RingHttpServerLifecycle(webServer, context);
    }

    /** Boot's own graceful-shutdown lifecycle, which asks the server in the phase Boot's servers use. */
    @Bean
    WebServerGracefulShutdownLifecycle ringHttpGracefulShutdown(RingHttpWebServer webServer) {
        return new WebServerGracefulShutdownLifecycle(webServer);
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessExit ringHttpProcessExit() {
        return ProcessExit.SYSTEM;
    }

    @Bean
    @ConditionalOnMissingBean
    RingHttpLoopFailureHandler ringHttpLoopFailureHandler(RingHttpServer server, RingHttpProperties properties,
            ConfigurableApplicationContext context, ProcessExit processExit) {
        return new RingHttpLoopFailureHandler(server, properties.getOnLoopFailure(), context, processExit);
    }

    /** WebSocket JSON messages through the application's Jackson 3 {@code JsonMapper}, or a default one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JsonMapper.class)
    static class JacksonConfiguration {

        @Bean
        @ConditionalOnMissingBean
        JsonMessages ringHttpJsonMessages(ObjectProvider<JsonMapper> mapper) {
            JsonMapper json = mapper.getIfAvailable(() -> JsonMapper.builder().build());
            return json::writeValueAsBytes;
        }
    }
}
