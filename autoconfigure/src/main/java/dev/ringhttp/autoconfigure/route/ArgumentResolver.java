package dev.ringhttp.autoconfigure.route;

/** Produces one argument of a route method from the current {@link Invocation}. */
@FunctionalInterface
interface ArgumentResolver {

    Object resolve(Invocation invocation) throws Exception;
}
