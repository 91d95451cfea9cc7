package dev.ringhttp.autoconfigure.metrics;

import dev.ringhttp.autoconfigure.route.RouteObserver;
import dev.ringhttp.core.HttpMethod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Records {@code ringhttp.requests}, a timer tagged {@code method},
 * {@code route} (the matched pattern, or a label such as
 * {@code NOT_FOUND}) and {@code status}, and counts {@code @HttpRoute}
 * failures in {@code ringhttp.handler.errors{source=route}}.
 *
 * <p>Called on the event loop for every answered request, so the hot path
 * allocates nothing once a (route, method, status) combination has been seen:
 * one hash lookup on the route string (whose hash the {@code String} caches),
 * then two array reads. Timers are registered lazily, once per combination;
 * route and status values are bounded by the route table, so the number of
 * series stays bounded too.
 */
public class MicrometerRouteObserver implements RouteObserver {

    static final String SOURCE_ROUTE = "route";
    static final String SOURCE_SERVER = "server";

    private static final HttpMethod[] METHODS = HttpMethod.values();
    private static final int MIN_STATUS = 100;
    private static final int MAX_STATUS = 599;

    private final MeterRegistry registry;
    private final Tags tags;
    private final ConcurrentHashMap<String, RouteTimers> routes = new ConcurrentHashMap<>();
    private final Counter routeErrors;

    public MicrometerRouteObserver(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    public MicrometerRouteObserver(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = registry;
        this.tags = Tags.of(tags);
        this.routeErrors = Counter.builder(RingHttpMetrics.PREFIX + ".handler.errors")
                .tags(this.tags).tag("source", SOURCE_ROUTE)
                .description("Exceptions thrown by application handlers")
                .register(registry);
    }

    @Override
    public void answered(HttpMethod method, String route, int status, long nanos) {
        RouteTimers timers = routes.get(route);
        if (timers == null) {
            timers = routes.computeIfAbsent(route, RouteTimers::new);
        }
        timers.timer(method, status).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerFailed(String route, Throwable error) {
        routeErrors.increment();
    }

    /** The timers of one route: one lazily filled row of statuses per method. */
    private final class RouteTimers {

        private final String route;
        private final Timer[][] byMethod = new Timer[METHODS.length][];

        RouteTimers(String route) {
            this.route = route;
        }

        Timer timer(HttpMethod method, int status) {
            // Statuses outside 100..599 cannot be sent; clamp so a bug elsewhere costs a wrong tag, not an exception.
            int s = Math.min(Math.max(status, MIN_STATUS), MAX_STATUS);
            Timer[] row = byMethod[method.ordinal()];
            if (row == null) {
                row = new Timer[MAX_STATUS - MIN_STATUS + 1];
                byMethod[method.ordinal()] = row;
            }
            Timer timer = row[s - MIN_STATUS];
            if (timer == null) {
                // Registering twice from racing threads returns the same meter, so the race is harmless.
                timer = Timer.builder(RingHttpMetrics.PREFIX + ".requests")
                        .tags(tags).tags("method", method.name(), "route", route, "status", Integer.toString(s))
                        .description("HTTP requests answered by the ringhttp server")
                        .register(registry);
                row[s - MIN_STATUS] = timer;
            }
            return timer;
        }
    }
}
