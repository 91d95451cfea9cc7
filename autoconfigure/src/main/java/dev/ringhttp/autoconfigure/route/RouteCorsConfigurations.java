package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpMethod;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.cors.CorsConfiguration;

/**
 * Builds, once per route at start-up, the spring-web {@link CorsConfiguration} that applies to
 * it, as Spring MVC does for a handler method: {@code @CrossOrigin} on the bean's class, then on
 * the method, with the route's own methods where the annotations name none and Spring's permit
 * defaults for the rest ({@link CorsConfiguration#applyPermitDefaultValues()}); the global
 * configuration ({@code ringhttp.server.cors.*}) combined underneath. Null when neither applies:
 * such a route costs nothing per request. Credentials with any origin fail start-up, naming the route.
 */
final class RouteCorsConfigurations {

    private final @Nullable CorsConfiguration global;
    /** Resolves {@code ${...}} placeholders in annotation values, as Spring MVC does. */
    private final UnaryOperator<String> placeholders;

    RouteCorsConfigurations(@Nullable CorsConfiguration global, UnaryOperator<String> placeholders) {
        this.global = global;
        this.placeholders = placeholders;
    }

    @Nullable CorsConfiguration forRoute(Class<?> beanType, Method method, Set<HttpMethod> methods, String route) {
        CrossOrigin onClass = AnnotatedElementUtils.findMergedAnnotation(beanType, CrossOrigin.class);
        CrossOrigin onMethod = AnnotatedElementUtils.findMergedAnnotation(method, CrossOrigin.class);
        CorsConfiguration local = null;
        if (onClass != null || onMethod != null) {
            local = new CorsConfiguration();
            update(local, onClass);
            update(local, onMethod);
            addRouteMethodsIfNone(local, methods);
            local.applyPermitDefaultValues();
        }
        CorsConfiguration combined;
        if (global == null) {
            combined = local;
        } else {
            CorsConfiguration forThisRoute = new CorsConfiguration(global);
            addRouteMethodsIfNone(forThisRoute, methods);
            combined = local == null ? forThisRoute : forThisRoute.combine(local);
        }
        if (combined != null) {
            try {
                combined.validateAllowCredentials();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("@HttpRoute " + route + ": " + e.getMessage(), e);
            }
        }
        return combined;
    }

    /** A preflight may ask for any method the route answers, and HEAD where it answers GET. */
    private static void addRouteMethodsIfNone(CorsConfiguration config, Set<HttpMethod> methods) {
        if (config.getAllowedMethods() != null && !config.getAllowedMethods().isEmpty()) {
            return;
        }
        for (HttpMethod m : methods) {
            config.addAllowedMethod(m.name());
        }
        if (methods.contains(HttpMethod.GET) && !methods.contains(HttpMethod.HEAD)) {
            config.addAllowedMethod(HttpMethod.HEAD.name());
        }
    }

    private void update(CorsConfiguration config, @Nullable CrossOrigin annotation) {
        if (annotation == null) {
            return;
        }
        for (String origin : annotation.origins()) {
            config.addAllowedOrigin(placeholders.apply(origin));
        }
        for (String pattern : annotation.originPatterns()) {
            config.addAllowedOriginPattern(placeholders.apply(pattern));
        }
        for (RequestMethod m : annotation.methods()) {
            config.addAllowedMethod(m.name());
        }
        for (String header : annotation.allowedHeaders()) {
            config.addAllowedHeader(placeholders.apply(header));
        }
        for (String header : annotation.exposedHeaders()) {
            config.addExposedHeader(placeholders.apply(header));
        }
        String credentials = placeholders.apply(annotation.allowCredentials());
        if (StringUtils.hasText(credentials)) {
            config.setAllowCredentials(parseBoolean(credentials, "allowCredentials"));
        }
        String privateNetwork = placeholders.apply(annotation.allowPrivateNetwork());
        if (StringUtils.hasText(privateNetwork)) {
            config.setAllowPrivateNetwork(parseBoolean(privateNetwork, "allowPrivateNetwork"));
        }
        if (annotation.maxAge() >= 0) {
            config.setMaxAge(annotation.maxAge());
        }
    }

    private static boolean parseBoolean(String value, String attribute) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalStateException("@CrossOrigin " + attribute + " must be \"true\", \"false\" or empty, not \""
                + value + "\"");
    }
}
