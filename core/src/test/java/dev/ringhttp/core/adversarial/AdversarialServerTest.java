package dev.ringhttp.core.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole server against many hostile clients at once, from a seed; see {@link AdversarialRun} for
 * the setup and the invariants, the client classes for the behaviours.
 *
 * <p>CI runs two fixed seeds for {@value #DEFAULT_SECONDS} s each with one event loop, and the first again
 * with two. Replay or explore:
 * {@code mvn -pl core test-compile surefire:test -Dtest=AdversarialServerTest -Dringhttp.adversarial.seed=N
 * -Dringhttp.adversarial.seconds=S -Dringhttp.adversarial.loops=L}; {@code core/adversarial.sh} runs fresh seeds for hours.
 */
class AdversarialServerTest {

    static final long DEFAULT_SECONDS = 8;
    private static final long[] FIXED_SEEDS = {20240601L, 7L};

    /** Each fixed seed with one loop; the first also with two, the clients spread over both by the kernel. */
    static Stream<Arguments> seeds() {
        String forced = System.getProperty("ringhttp.adversarial.seed");
        int loops = Integer.getInteger("ringhttp.adversarial.loops", 1);
        if (forced != null && !forced.isBlank()) {
            return Stream.of(Arguments.of(Long.parseLong(forced.trim()), loops));
        }
        return Stream.of(Arguments.of(FIXED_SEEDS[0], 1), Arguments.of(FIXED_SEEDS[1], 1),
                Arguments.of(FIXED_SEEDS[0], 2));
    }

    @ParameterizedTest(name = "seed {0}, {1} loop(s)")
    @MethodSource("seeds")
    void hostileClientsBreakNoInvariant(long seed, int loops) {
        long seconds = Long.getLong("ringhttp.adversarial.seconds", DEFAULT_SECONDS);
        // Clients give up after bounded waits (30 s at most) and the end checks take ~20 s at worst.
        AdversarialRun.Result result = assertTimeoutPreemptively(Duration.ofSeconds(seconds + 120),
                () -> AdversarialRun.run(seed, seconds * 1000, loops));
        System.out.printf("adversarial seed %d, %d loop(s), %d s: %s%n", seed, loops, seconds, result.stats());
        assertThat(result.violations().isEmpty())
                .as("seed %d broke %d invariant(s); replay with -Dringhttp.adversarial.seed=%d "
                        + "-Dringhttp.adversarial.loops=%d -Dringhttp.adversarial.seconds=%d%s%n%s", seed,
                        result.violations().kinds(), seed, loops, seconds,
                        Behaviours.describeOff(),
                        result.violations().report())
                .isTrue();
    }
}
