package dev.ringhttp.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import org.junit.jupiter.api.Test;

/** The values Spring MVC gives where no route matched or no status was sent. */
class DefaultRingHttpRequestObservationConventionTests {

    private final DefaultRingHttpRequestObservationConvention convention = new DefaultRingHttpRequestObservationConvention();

    @Test
    void unmatchedRedirectIsRedirection() {
        assertThat(convention.getLowCardinalityKeyValues(context(null, 302)))
                .contains(KeyValue.of("uri", "REDIRECTION"), KeyValue.of("outcome", "REDIRECTION"));
    }

    @Test
    void unmatchedMethodIsUnknownUri() {
        assertThat(convention.getLowCardinalityKeyValues(context(null, 405)))
                .contains(KeyValue.of("uri", "UNKNOWN"), KeyValue.of("status", "405"),
                        KeyValue.of("outcome", "CLIENT_ERROR"));
    }

    @Test
    void clientThatLeftBeforeADeferredAnswerHasUnknownStatusAndOutcome() {
        assertThat(convention.getLowCardinalityKeyValues(context("/later/{id}", 0)))
                .contains(KeyValue.of("uri", "/later/{id}"), KeyValue.of("status", "UNKNOWN"),
                        KeyValue.of("outcome", "UNKNOWN"));
    }

    @Test
    void anonymousExceptionIsNamedByItsClassName() {
        RingHttpRequestObservationContext context = context("/x", 500);
        RuntimeException anonymous = new RuntimeException() { };
        context.setError(anonymous);
        assertThat(convention.getLowCardinalityKeyValues(context))
                .contains(KeyValue.of("exception", anonymous.getClass().getName()));
    }

    @Test
    void contextualNameIsMethodAndPatternLikeSpring() {
        assertThat(convention.getContextualName(context("/users/{id}", 200))).isEqualTo("http get /users/{id}");
        assertThat(convention.getContextualName(context(null, 404))).isEqualTo("http get");
    }

    private static RingHttpRequestObservationContext context(String pattern, int status) {
        RingHttpRequestObservationContext context =
                new RingHttpRequestObservationContext(RingHttpObservationAutoConfigurationTests.request());
        context.setPathPattern(pattern);
        context.setStatus(status);
        return context;
    }
}
