package dev.ringhttp.core.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole server against many hostile clients at once, from a seed; see {@link AdversarialRun} for
 * the setup and the invariants, the client classes for the behaviours.
 *
 * <p>CI runs two fixed seeds for {@value #DEFAULT_SECONDS} s each. Replay or explore:
 * {@code mvn -pl core test-compile surefire:test -Dtest=AdversarialServerTest -Dringhttp.adversarial.seed=N
 * -Dringhttp.adversarial.seconds=S}; {@code core/adversarial.sh} runs fresh seeds for hours.
 */
class AdversarialServerTest {

    static final long DEFAULT_SECONDS = 8;
    private static final long[] FIXED_SEEDS = {20240601L, 7L};

    static LongStream seeds() {
        String forced = System.getProperty("ringhttp.adversarial.seed");
        return forced != null && !forced.isBlank() ? LongStream.of(Long.parseLong(forced.trim()))
                : LongStream.of(FIXED_SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void hostileClientsBreakNoInvariant(long seed) {
        long seconds = Long.getLong("ringhttp.adversarial.seconds", DEFAULT_SECONDS);
        // Clients give up after bounded waits (30 s at most) and the end checks take ~20 s at worst.
        AdversarialRun.Result result = assertTimeoutPreemptively(Duration.ofSeconds(seconds + 120),
                () -> AdversarialRun.run(seed, seconds * 1000));
        System.out.printf("adversarial seed %d, %d s: %s%n", seed, seconds, result.stats());
        assertThat(result.violations().isEmpty())
                .as("seed %d broke %d invariant(s); replay with -Dringhttp.adversarial.seed=%d "
                        + "-Dringhttp.adversarial.seconds=%d%s%n%s", seed, result.violations().kinds(), seed, seconds,
                        Behaviours.describeOff(),
                        result.violations().report())
                .isTrue();
    }
}
