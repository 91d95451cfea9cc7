package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.SynthesizingMethodParameter;
import org.springframework.util.ReflectionUtils;

/**
 * Calls one route method: resolves each argument, invokes, returns the
 * result. The argument array is reused between calls, which is safe because
 * the event loop runs one handler at a time and a handler cannot dispatch
 * another request from inside itself.
 */
final class HandlerInvoker {

    private static final @Nullable Object[] NO_ARGUMENTS = new Object[0];

    private final Object bean;
    private final Method method;
    private final ArgumentResolver[] resolvers;
    private final @Nullable Object[] arguments;
    private final boolean writesOwnResponse;
    /** A parameter is a view of the connection's buffers (the core request or response, a ByteBuffer body). */
    private final boolean readsLoopBuffers;
    private final String description;

    private final ExceptionHandlers exceptionHandlers;

    HandlerInvoker(Object bean, Method method, ArgumentResolvers factory) {
        this(bean, method, factory, ExceptionHandlers.NONE);
    }

    /** @param exceptionHandlers the {@code @ExceptionHandler} methods that may answer what this one throws */
    HandlerInvoker(Object bean, Method method, ArgumentResolvers factory, ExceptionHandlers exceptionHandlers) {
        this.bean = bean;
        this.exceptionHandlers = exceptionHandlers;
        this.method = method;
        ReflectionUtils.makeAccessible(method);
        int n = method.getParameterCount();
        this.resolvers = new ArgumentResolver[n];
        boolean takesResponse = false;
        boolean takesView = false;
        for (int i = 0; i < n; i++) {
            MethodParameter p = SynthesizingMethodParameter.forExecutable(method, i);
            resolvers[i] = factory.forParameter(p);
            Class<?> type = p.getParameterType();
            takesResponse |= type == HttpResponse.class;
            takesView |= type == HttpRequest.class || type == HttpResponse.class || type == ByteBuffer.class;
        }
        this.readsLoopBuffers = takesView;
        this.arguments = n == 0 ? NO_ARGUMENTS : new Object[n];
        this.writesOwnResponse = takesResponse && method.getReturnType() == void.class;
        this.description = method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
    }

    Method method() {
        return method;
    }

    ExceptionHandlers exceptionHandlers() {
        return exceptionHandlers;
    }

    String description() {
        return description;
    }

    /** A void method that takes the core response fills it itself; its empty return means "as filled", not 204. */
    boolean writesOwnResponse() {
        return writesOwnResponse;
    }

    boolean returnsVoid() {
        return method.getReturnType() == void.class;
    }

    /**
     * Whether an argument is a view of the connection's buffers, which only the loop may touch:
     * such a method cannot run off the loop.
     */
    boolean readsLoopBuffers() {
        return readsLoopBuffers;
    }

    /**
     * The arguments for {@code invocation} in an array of their own, for a call that runs off the
     * loop: none of them refers to the connection's buffers ({@link #readsLoopBuffers} is false).
     */
    @Nullable Object[] resolveDetached(Invocation invocation) throws Exception {
        @Nullable Object[] detached = new Object[resolvers.length];
        for (int i = 0; i < resolvers.length; i++) {
            detached[i] = resolvers[i].resolve(invocation);
        }
        return detached;
    }

    /** Invokes the method with arguments from {@link #resolveDetached}; any thread. */
    @Nullable Object invokeDetached(@Nullable Object[] detached) throws Throwable {
        try {
            return method.invoke(bean, detached);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Nullable Object invoke(Invocation invocation) throws Throwable {
        try {
            for (int i = 0; i < resolvers.length; i++) {
                arguments[i] = resolvers[i].resolve(invocation);
            }
            return method.invoke(bean, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            Arrays.fill(arguments, null);
        }
    }
}
