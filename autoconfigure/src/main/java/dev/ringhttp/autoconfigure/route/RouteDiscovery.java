package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpMethod;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.ClassUtils;

/**
 * Finds every {@code @HttpRoute} method once all singletons exist, builds the
 * route table (failing start-up on clashes or unusable parameters) and hands
 * it to the dispatcher before the server starts.
 */
public final class RouteDiscovery implements SmartInitializingSingleton {

    private final ApplicationContext context;
    private final RouteDispatcher dispatcher;
    private final ArgumentResolvers resolvers;

    public RouteDiscovery(ApplicationContext context, RouteDispatcher dispatcher, ConversionService conversion,
            @Nullable JsonCodec json) {
        this.context = context;
        this.dispatcher = dispatcher;
        this.resolvers = new ArgumentResolvers(conversion, json);
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<Route> routes = new ArrayList<>();
        for (String name : context.getBeanNamesForType(Object.class, false, false)) {
            Class<?> type = context.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> userType = ClassUtils.getUserClass(type);
            Map<Method, HttpRoute> methods = MethodIntrospector.selectMethods(userType,
                    (MethodIntrospector.MetadataLookup<HttpRoute>) m ->
                            AnnotatedElementUtils.findMergedAnnotation(m, HttpRoute.class));
            if (methods.isEmpty()) {
                continue;
            }
            Object bean = context.getBean(name);
            methods.forEach((method, annotation) -> {
                Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
                HandlerInvoker invoker = new HandlerInvoker(bean, invocable, resolvers);
                String[] paths = annotation.path();
                if (paths.length == 0) {
                    throw new IllegalStateException("@HttpRoute on " + invoker.description() + " names no path");
                }
                EnumSet<HttpMethod> accepted = EnumSet.noneOf(HttpMethod.class);
                for (HttpMethod m : annotation.method()) {
                    accepted.add(m);
                }
                for (String path : paths) {
                    routes.add(new Route(RouteTable.parser().parse(path), accepted, invoker));
                }
            });
        }
        RouteTable table = new RouteTable(routes);
        dispatcher.routes(table);
        context.getBeanProvider(RouteContributor.class).orderedStream().forEach(c -> c.routesInstalled(table));
    }
}
