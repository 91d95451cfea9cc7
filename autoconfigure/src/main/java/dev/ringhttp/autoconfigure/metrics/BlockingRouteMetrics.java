package dev.ringhttp.autoconfigure.metrics;

import dev.ringhttp.autoconfigure.route.BlockingExecutor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The executor of blocking routes as meters: calls in progress, its capacity, and the calls it refused. */
public final class BlockingRouteMetrics implements MeterBinder {

    private final BlockingExecutor executor;

    public BlockingRouteMetrics(BlockingExecutor executor) {
        this.executor = executor;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ringhttp.routes.blocking.calls", executor, BlockingExecutor::inProgress)
                .strongReference(true)
                .description("Calls of blocking routes running or waiting for a thread")
                .register(registry);
        Gauge.builder("ringhttp.routes.blocking.capacity", executor, BlockingExecutor::capacity)
                .strongReference(true)
                .description("The most calls of blocking routes that may run or wait at once")
                .register(registry);
        FunctionCounter.builder("ringhttp.routes.blocking.refused", executor, BlockingExecutor::refused)
                .description("Requests for blocking routes answered 503 because the executor was full")
                .register(registry);
    }
}
