package dev.ringhttp.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class ActuatorRouteContributorTests {

    private static final List<MediaType> ACTUATOR = List.of(
            MediaType.parseMediaType("application/vnd.spring-boot.actuator.v3+json"),
            MediaType.parseMediaType("application/vnd.spring-boot.actuator.v2+json"), MediaType.APPLICATION_JSON);

    @Test
    void negotiationPicksTheFirstProducedTypeWithoutAccept() {
        assertThat(ActuatorRouteContributor.negotiate(List.of(), ACTUATOR)).isEqualTo(ACTUATOR.get(0));
        assertThat(ActuatorRouteContributor.negotiate(List.of("*/*"), ACTUATOR)).isEqualTo(ACTUATOR.get(0));
    }

    @Test
    void negotiationHonoursQuality() {
        assertThat(ActuatorRouteContributor.negotiate(
                List.of("application/vnd.spring-boot.actuator.v3+json;q=0.2, application/json"), ACTUATOR))
                .isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(ActuatorRouteContributor.negotiate(List.of("text/html", "application/*;q=0.5"), ACTUATOR))
                .isEqualTo(ACTUATOR.get(0));
    }

    @Test
    void negotiationFailsWhenNothingIsAcceptable() {
        assertThat(ActuatorRouteContributor.negotiate(List.of("text/html"), ACTUATOR)).isNull();
        assertThat(ActuatorRouteContributor.negotiate(List.of("application/json;q=0"), ACTUATOR)).isNull();
    }

    @Test
    void queryParametersAreDecodedAndRepeatedOnesBecomeLists() {
        assertThat(ActuatorRouteContributor.queryParameters("tag=a%3Ab&tag=c&name=x+y&flag"))
                .containsEntry("tag", List.of("a:b", "c")).containsEntry("name", "x y").containsEntry("flag", "");
        assertThat(ActuatorRouteContributor.queryParameters(null)).isEmpty();
        assertThatRuntimeException().isThrownBy(() -> ActuatorRouteContributor.queryParameters("bad=%zz"));
    }
}
