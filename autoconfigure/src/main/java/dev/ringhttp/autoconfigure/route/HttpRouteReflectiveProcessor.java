package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * The reflection an {@code @HttpRoute} method needs in a native image, found
 * when the application is processed ahead of time ({@code @Reflective} on
 * {@link HttpRoute}): its class, the method itself for invocation, and the
 * types bound from and to JSON, namely a {@code @RequestBody} parameter's and
 * the return value's, looked for inside {@code ResponseEntity},
 * {@code CompletionStage} and {@code Optional}.
 *
 * <p>Types written or read without binding (strings, byte arrays, buffers,
 * the core request and response, {@code void}) get no binding hints.
 */
public final class HttpRouteReflectiveProcessor extends SimpleReflectiveProcessor {

    /** Bodies the route layer reads or writes as they are, never through JSON. */
    private static final Set<Class<?>> UNBOUND = Set.of(String.class, byte[].class, ByteBuffer.class,
            HttpRequest.class, HttpResponse.class, Object.class, Void.class);

    private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

    @Override
    protected void registerMethodHint(ReflectionHints hints, Method method) {
        hints.registerType(method.getDeclaringClass());
        hints.registerMethod(method, ExecutableMode.INVOKE);
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter parameter = new MethodParameter(method, i);
            if (parameter.hasParameterAnnotation(RequestBody.class)) {
                registerBinding(hints, ResolvableType.forMethodParameter(parameter));
            }
        }
        registerBinding(hints, ResolvableType.forMethodReturnType(method));
    }

    /**
     * Registers the body type and its type arguments ({@code List<Order>} binds {@code Order}). Each is
     * registered by its class: a type argument reached through a wrapper is a type variable resolved
     * by {@link ResolvableType}, which the registrar could not resolve on its own.
     */
    private void registerBinding(ReflectionHints hints, ResolvableType type) {
        ResolvableType body = bodyOf(type);
        Class<?> raw = body.resolve();
        if (raw == null || raw.isPrimitive() || UNBOUND.contains(raw)) {
            return;
        }
        bindings.registerReflectionHints(hints, raw);
        for (ResolvableType argument : body.getGenerics()) {
            registerBinding(hints, argument);
        }
    }

    /** The type inside the wrappers a route may return: {@code CompletionStage<ResponseEntity<Optional<T>>>} gives T. */
    private static ResolvableType bodyOf(ResolvableType type) {
        Class<?> raw = type.resolve();
        if (raw == null) {
            return type;
        }
        if (CompletionStage.class.isAssignableFrom(raw)) {
            return bodyOf(type.as(CompletionStage.class).getGeneric(0));
        }
        if (HttpEntity.class.isAssignableFrom(raw)) {
            return bodyOf(type.as(HttpEntity.class).getGeneric(0));
        }
        if (raw == Optional.class) {
            return bodyOf(type.getGeneric(0));
        }
        return type;
    }
}
