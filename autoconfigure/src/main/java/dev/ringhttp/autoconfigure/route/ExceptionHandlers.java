package dev.ringhttp.autoconfigure.route;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.ControllerAdviceBean;
import org.springframework.web.method.annotation.ExceptionHandlerMethodResolver;

/**
 * The {@code @ExceptionHandler} methods that may answer the exceptions of one route bean's
 * methods, in the order Spring MVC tries them: the bean's own, then those of each
 * {@code @ControllerAdvice} (or {@code @RestControllerAdvice}) bean that applies to it (its
 * {@code assignableTypes}, {@code basePackages} and {@code annotations}), in the advice beans'
 * order. Within one bean the closest match to the exception's type wins, then its causes'.
 *
 * <p>A handler method may take the exception (any type it is assignable to, or a cause of it);
 * whatever it returns is answered as a route's return value, with the status of its
 * {@code @ResponseStatus} if it has one.
 */
final class ExceptionHandlers {

    private static final int MAX_CAUSES = 16;

    /** No handler anywhere. */
    static final ExceptionHandlers NONE = new ExceptionHandlers(List.of());

    private record Source(Supplier<Object> bean, ExceptionHandlerMethodResolver resolver) {
    }

    /** A handler method found for one exception. */
    record Handler(Object bean, Method method, Throwable exception) {

        /** Calls the handler; what it throws propagates. */
        @Nullable Object invoke() throws Throwable {
            Class<?>[] types = method.getParameterTypes();
            @Nullable Object[] arguments = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                arguments[i] = exceptionOfType(exception, types[i]);
            }
            // The resolver's Method may be another copy than the one checked at start-up.
            ReflectionUtils.makeAccessible(method);
            try {
                return method.invoke(bean, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        boolean returnsVoid() {
            return method.getReturnType() == void.class;
        }

        /** The status of the method's {@code @ResponseStatus}, or 0. */
        int declaredStatus() {
            ResponseStatus status = AnnotatedElementUtils.findMergedAnnotation(method, ResponseStatus.class);
            return status == null ? 0 : status.code().value();
        }

        String description() {
            return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
        }
    }

    private final List<Source> sources;

    private ExceptionHandlers(List<Source> sources) {
        this.sources = sources;
    }

    /**
     * The handlers for the methods of {@code bean} (of user type {@code beanType}): its own and
     * the applicable advice's, given in their order. Fails start-up for a handler method that
     * takes anything but exceptions.
     */
    static ExceptionHandlers of(Object bean, Class<?> beanType, List<ControllerAdviceBean> advice) {
        List<Source> sources = new ArrayList<>();
        add(sources, () -> bean, beanType);
        for (ControllerAdviceBean a : advice) {
            Class<?> adviceType = a.getBeanType();
            if (adviceType != null && a.isApplicableToBeanType(beanType)) {
                add(sources, a::resolveBean, adviceType);
            }
        }
        return sources.isEmpty() ? NONE : new ExceptionHandlers(List.copyOf(sources));
    }

    /** The advice beans of {@code context}, in their order. */
    static List<ControllerAdviceBean> advice(ApplicationContext context) {
        return ControllerAdviceBean.findAnnotatedBeans(context);
    }

    private static void add(List<Source> sources, Supplier<Object> bean, Class<?> type) {
        ExceptionHandlerMethodResolver resolver = new ExceptionHandlerMethodResolver(type);
        if (!resolver.hasExceptionMappings()) {
            return;
        }
        ReflectionUtils.doWithMethods(type, m -> checkParameters(m),
                m -> AnnotatedElementUtils.hasAnnotation(m, org.springframework.web.bind.annotation.ExceptionHandler.class));
        sources.add(new Source(bean, resolver));
    }

    private static void checkParameters(Method m) {
        for (Class<?> type : m.getParameterTypes()) {
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new IllegalStateException("@ExceptionHandler " + m.getDeclaringClass().getSimpleName() + "."
                        + m.getName() + "() takes a " + type.getSimpleName() + ": ringhttp passes handler methods "
                        + "only the exception (or one of its causes)");
            }
        }
        ReflectionUtils.makeAccessible(m);
    }

    /** The first handler for {@code exception}, or null when none is declared for it or its causes. */
    @Nullable Handler find(Throwable exception) {
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            Method method = source.resolver().resolveMethodByThrowable(exception);
            if (method != null) {
                return new Handler(source.bean().get(), method, exception);
            }
        }
        return null;
    }

    /**
     * {@code exception} or the first of its causes that is a {@code type}; null when none is.
     * Bounded: a chain of causes may loop.
     */
    private static @Nullable Throwable exceptionOfType(Throwable exception, Class<?> type) {
        Throwable t = exception;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++) {
            if (type.isInstance(t)) {
                return t;
            }
            t = t.getCause();
        }
        return null;
    }
}
