package dev.ringhttp.autoconfigure.route;

import org.jspecify.annotations.Nullable;

/** Produces one argument of a route method from the current {@link Invocation}. */
@FunctionalInterface
interface ArgumentResolver {

    @Nullable Object resolve(Invocation invocation) throws Exception;
}
