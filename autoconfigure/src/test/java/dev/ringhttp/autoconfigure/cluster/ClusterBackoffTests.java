package dev.ringhttp.autoconfigure.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterBackoffTests {

    private static final long MS = 1_000_000;

    @Test
    void doublesFromTheInitialWaitUpToTheMaximumAndStartsOverAfterASuccess() {
        Backoff backoff = new Backoff(Duration.ofMillis(700), () -> 0.5); // 0.5: no spread
        assertThat(backoff.nextNanos()).isEqualTo(100 * MS);
        assertThat(backoff.nextNanos()).isEqualTo(200 * MS);
        assertThat(backoff.nextNanos()).isEqualTo(400 * MS);
        assertThat(backoff.nextNanos()).isEqualTo(700 * MS);
        assertThat(backoff.nextNanos()).isEqualTo(700 * MS);
        backoff.reset();
        assertThat(backoff.nextNanos()).isEqualTo(100 * MS);
    }

    @Test
    void spreadsEachWaitByAFifthEitherWay() {
        assertThat(new Backoff(Duration.ofSeconds(1), () -> 0.0).nextNanos()).isEqualTo(80 * MS);
        assertThat(new Backoff(Duration.ofSeconds(1), () -> 0.999_999).nextNanos()).isBetween(119 * MS, 120 * MS);
    }

    @Test
    void neverWaitsLessThanTheInitialWaitAsItsMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), () -> 0.5);
        backoff.nextNanos();
        assertThat(backoff.nextNanos()).isEqualTo(100 * MS);
    }
}
