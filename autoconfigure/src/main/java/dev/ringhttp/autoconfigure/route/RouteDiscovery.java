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
import org.springframework.validation.Validator;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.method.ControllerAdviceBean;

/**
 * Finds every {@code @HttpRoute} method once all singletons exist, builds the
 * route table (failing start-up on clashes or unusable parameters) and hands
 * it to the dispatcher before the server starts.
 */
public final class RouteDiscovery implements SmartInitializingSingleton {

    private final ApplicationContext context;
    private final RouteDispatcher dispatcher;
    private final ConversionService conversion;
    private final RouteConverters converters;
    private final BlockingExecutor blocking;
    private final boolean blockingByDefault;
    private final @Nullable CorsConfiguration globalCors;

    /**
     * @param blocking          runs the routes that may block
     * @param blockingByDefault whether every route that can run off the loop does
     *                          ({@code ringhttp.routes.blocking})
     * @param globalCors        the CORS configuration of every route ({@code ringhttp.server.cors.*}); null: none
     */
    public RouteDiscovery(ApplicationContext context, RouteDispatcher dispatcher, ConversionService conversion,
            RouteConverters converters, BlockingExecutor blocking, boolean blockingByDefault,
            @Nullable CorsConfiguration globalCors) {
        this.globalCors = globalCors;
        this.context = context;
        this.dispatcher = dispatcher;
        this.conversion = conversion;
        this.converters = converters;
        this.blocking = blocking;
        this.blockingByDefault = blockingByDefault;
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<Route> routes = new ArrayList<>();
        List<ControllerAdviceBean> advice = ExceptionHandlers.advice(context);
        RouteCorsConfigurations cors = new RouteCorsConfigurations(globalCors,
                context.getEnvironment()::resolvePlaceholders);
        // Boot's validator (Hibernate Validator, when on the classpath) checks @Valid bodies; none, none are checked.
        ArgumentResolvers resolvers = new ArgumentResolvers(conversion, converters,
                context.getBeanProvider(Validator.class).getIfUnique());
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
            ExceptionHandlers exceptionHandlers = ExceptionHandlers.of(bean, userType, advice);
            methods.forEach((method, annotation) -> {
                Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
                HandlerInvoker invoker = new HandlerInvoker(bean, invocable, resolvers, exceptionHandlers);
                String[] paths = annotation.path();
                if (paths.length == 0) {
                    throw new IllegalStateException("@HttpRoute on " + invoker.description() + " names no path");
                }
                EnumSet<HttpMethod> accepted = EnumSet.noneOf(HttpMethod.class);
                for (HttpMethod m : annotation.method()) {
                    accepted.add(m);
                }
                BlockingExecutor executor = executorFor(annotation, invoker);
                MediaTypes mediaTypes = MediaTypes.of(annotation.consumes(), annotation.produces(),
                        invoker.description());
                CorsConfiguration corsConfiguration = cors.forRoute(userType, method, accepted, invoker.description());
                for (String path : paths) {
                    routes.add(new Route(RouteTable.parser().parse(path), accepted, invoker, executor, mediaTypes,
                            corsConfiguration));
                }
            });
        }
        RouteTable table = new RouteTable(routes);
        dispatcher.routes(table);
        context.getBeanProvider(RouteContributor.class).orderedStream().forEach(c -> c.routesInstalled(table));
    }

    /**
     * The executor a route runs on, or null for the loop: a route marked blocking must be able to
     * leave the loop; with blocking the default, the routes that cannot (they take the core
     * request or response, or a buffer view of the body) stay on it.
     */
    private @Nullable BlockingExecutor executorFor(HttpRoute annotation, HandlerInvoker invoker) {
        if (annotation.blocking() && invoker.readsLoopBuffers()) {
            throw new IllegalStateException("@HttpRoute(blocking = true) on " + invoker.description()
                    + " cannot take HttpRequest, HttpResponse or a ByteBuffer body: they are views of the "
                    + "connection's buffers, which only the event loop may touch; take the values (a "
                    + "@RequestBody String, byte[] or object, @RequestParam, @RequestHeader) instead");
        }
        boolean runsOffLoop = annotation.blocking() || (blockingByDefault && !invoker.readsLoopBuffers());
        return runsOffLoop ? blocking : null;
    }
}
