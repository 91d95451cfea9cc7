package dev.ringhttp.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@code http.server.requests} observations of ringhttp. Declare
 * a bean of this type to replace {@link DefaultRingHttpRequestObservationConvention},
 * or register a {@code GlobalObservationConvention} of this type with the
 * registry to change it for every observer.
 */
public interface RingHttpRequestObservationConvention extends ObservationConvention<RingHttpRequestObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RingHttpRequestObservationContext;
    }
}
