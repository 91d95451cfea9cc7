package dev.ringhttp.autoconfigure.actuate;

import dev.ringhttp.autoconfigure.resource.StaticFile;
import dev.ringhttp.autoconfigure.resource.StaticResourceContributor;
import dev.ringhttp.autoconfigure.route.HttpRoute;
import dev.ringhttp.autoconfigure.route.RouteDispatcher;
import dev.ringhttp.autoconfigure.route.RouteMapping;
import dev.ringhttp.autoconfigure.websocket.WsHandler;
import dev.ringhttp.core.HttpMethod;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.asm.Type;
import org.springframework.boot.actuate.web.mappings.MappingDescriptionProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.util.ClassUtils;

/**
 * Describes what the ringhttp server maps, for Boot's {@code /actuator/mappings}
 * under the name {@value #NAME}: every {@code @HttpRoute} (in matching order,
 * shaped like Spring MVC's entries: handler, predicate, handler method and
 * request conditions), every {@code @WsHandler} path and every static file's
 * request path.
 */
public final class RingHttpMappingDescriptionProvider implements MappingDescriptionProvider {

    /** The key of ringhttp's mappings in the endpoint's answer. */
    public static final String NAME = "ringhttp";

    /** What {@code /actuator/mappings} shows of the ringhttp server. */
    public record RingHttpMappings(List<RouteDescription> routes, List<WebSocketDescription> webSockets,
            List<StaticResourceDescription> staticResources) {
    }

    /**
     * One route.
     *
     * @param handler   the bean method, as {@code Class#method(ParameterTypes)}
     * @param predicate the methods and pattern it answers, as {@code {GET [/users/{id}]}}
     */
    public record RouteDescription(String handler, String predicate, RouteDetails details) {
    }

    /** A route's handler method and the conditions a request must meet. */
    public record RouteDetails(HandlerMethodDescription handlerMethod, RequestConditions requestMappingConditions) {
    }

    /** The handler method as Boot describes Spring MVC's: its class, name and JVM descriptor. */
    public record HandlerMethodDescription(String className, String name, String descriptor) {
    }

    /**
     * What a request must match: the methods, the patterns, and the media types the route declares
     * it consumes and produces, where {@code @HttpRoute} has such attributes (empty otherwise).
     */
    public record RequestConditions(List<HttpMethod> methods, List<String> patterns, List<String> consumes,
            List<String> produces) {
    }

    /** One WebSocket path: the {@code @WsHandler} bean and the broadcast channel of its connections. */
    public record WebSocketDescription(String path, String channel, String handler) {
    }

    /** One request path of a static file. */
    public record StaticResourceDescription(String path, String file, String contentType, int length) {
    }

    /** Lets a native image write the description as JSON: its records are reached only through {@code Object}. */
    static final class MappingsRuntimeHints implements RuntimeHintsRegistrar {

        @Override
        public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
            new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), RingHttpMappings.class);
        }
    }

    @Override
    public String getMappingName() {
        return NAME;
    }

    @Override
    public RingHttpMappings describeMappings(ApplicationContext context) {
        List<RouteDescription> routes = new ArrayList<>();
        context.getBeanProvider(RouteDispatcher.class).orderedStream()
                .forEach(dispatcher -> dispatcher.routes().mappings().forEach(m -> routes.add(describe(m))));
        List<StaticResourceDescription> statics = new ArrayList<>();
        context.getBeanProvider(StaticResourceContributor.class).orderedStream()
                .forEach(contributor -> contributor.servedPaths().forEach((path, file) -> statics.add(describe(path, file))));
        return new RingHttpMappings(routes, webSockets(context), statics);
    }

    private static RouteDescription describe(RouteMapping mapping) {
        Method method = mapping.handler();
        List<HttpMethod> methods = Arrays.stream(HttpMethod.values()).filter(mapping.methods()::contains).toList();
        String predicate = "{" + String.join(", ", methods.stream().map(Enum::name).toList()) + " ["
                + mapping.pattern() + "]}";
        HandlerMethodDescription handlerMethod = new HandlerMethodDescription(method.getDeclaringClass().getName(),
                method.getName(), Type.getMethodDescriptor(method));
        RequestConditions conditions = new RequestConditions(methods, List.of(mapping.pattern()),
                declared(method, "consumes"), declared(method, "produces"));
        return new RouteDescription(signature(method), predicate, new RouteDetails(handlerMethod, conditions));
    }

    /** An attribute of the method's {@code @HttpRoute}, if the annotation has one by that name. */
    private static List<String> declared(Method method, String attribute) {
        AnnotationAttributes attributes = AnnotatedElementUtils.findMergedAnnotationAttributes(method, HttpRoute.class,
                false, false);
        Object value = attributes != null ? attributes.get(attribute) : null;
        return value instanceof String[] values ? List.of(values) : List.of();
    }

    private static String signature(Method method) {
        String parameters = String.join(", ",
                Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList());
        return method.getDeclaringClass().getName() + "#" + method.getName() + "(" + parameters + ")";
    }

    private static List<WebSocketDescription> webSockets(ApplicationContext context) {
        List<WebSocketDescription> out = new ArrayList<>();
        for (String name : context.getBeanNamesForAnnotation(WsHandler.class)) {
            WsHandler handler = context.findAnnotationOnBean(name, WsHandler.class);
            @Nullable Class<?> type = context.getType(name);
            if (handler == null || type == null) {
                continue;
            }
            String channel = handler.channel().isEmpty() ? handler.path() : handler.channel();
            out.add(new WebSocketDescription(handler.path(), channel, ClassUtils.getUserClass(type).getName()));
        }
        return out;
    }

    private static StaticResourceDescription describe(String path, StaticFile file) {
        return new StaticResourceDescription(path, file.name(), file.contentType(), file.length());
    }
}
