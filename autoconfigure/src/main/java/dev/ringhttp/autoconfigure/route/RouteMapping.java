package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpMethod;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * What one route maps, for descriptions such as {@code /actuator/mappings}.
 *
 * @param methods  the methods it declares (HEAD is answered from GET besides)
 * @param pattern  its path pattern
 * @param handler  the bean method that answers it
 */
public record RouteMapping(Set<HttpMethod> methods, String pattern, Method handler) {

    public RouteMapping {
        methods = Set.copyOf(methods);
    }
}
