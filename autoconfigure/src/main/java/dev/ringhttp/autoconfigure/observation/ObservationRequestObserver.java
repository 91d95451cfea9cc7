package dev.ringhttp.autoconfigure.observation;

import dev.ringhttp.autoconfigure.route.ObservedRequest;
import dev.ringhttp.autoconfigure.route.RequestObserver;
import dev.ringhttp.core.HttpRequest;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes each routed request and WebSocket upgrade a Micrometer
 * {@link Observation} ({@code http.server.requests} by default), started
 * before the handler runs so that a tracing handler extracts the caller's
 * trace context from the request headers and the handler runs in its span.
 *
 * <p>The registry is asked on every request whether it is a no-op (no
 * handlers), which costs no allocation; only then is a context built. So an
 * application without observation handlers keeps garbage-free dispatch, and
 * one whose handlers arrive later is observed from then on.
 */
public class ObservationRequestObserver implements RequestObserver {

    private final ObservationRegistry registry;
    private final @Nullable RingHttpRequestObservationConvention convention;
    private final RingHttpRequestObservationConvention defaultConvention;

    /**
     * @param convention         replaces the default convention; null to use it (or a global convention)
     * @param defaultConvention  used when neither {@code convention} nor a matching global convention is set
     */
    public ObservationRequestObserver(ObservationRegistry registry,
            @Nullable RingHttpRequestObservationConvention convention,
            RingHttpRequestObservationConvention defaultConvention) {
        this.registry = registry;
        this.convention = convention;
        this.defaultConvention = defaultConvention;
    }

    @Override
    public @Nullable ObservedRequest begin(HttpRequest request) {
        if (registry.isNoop()) {
            return null;
        }
        RingHttpRequestObservationContext context = new RingHttpRequestObservationContext(request);
        Observation observation = Observation.createNotStarted(convention, defaultConvention, () -> context, registry);
        if (observation.isNoop()) {
            return null; // Switched off by an ObservationPredicate (management.observations.enable.*=false).
        }
        return new MicrometerObservedRequest(observation.start(), context);
    }

    /** The dispatcher's handle on one started observation. */
    private static final class MicrometerObservedRequest implements ObservedRequest {

        private final Observation observation;
        private final RingHttpRequestObservationContext context;
        private Observation.@Nullable Scope scope;

        MicrometerObservedRequest(Observation observation, RingHttpRequestObservationContext context) {
            this.observation = observation;
            this.context = context;
        }

        @Override
        public void route(String pattern) {
            context.setPathPattern(pattern);
        }

        @Override
        public void openScope() {
            scope = observation.openScope();
        }

        @Override
        public void closeScope() {
            Observation.Scope open = scope;
            if (open != null) {
                scope = null;
                open.close();
            }
        }

        @Override
        public void error(Throwable error) {
            observation.error(error);
        }

        @Override
        public void stop(int status) {
            context.setStatus(status);
            observation.stop();
        }
    }
}
