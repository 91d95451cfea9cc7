package dev.ringhttp.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.http.ParserHarness.Snapshot;
import dev.ringhttp.core.http.RequestParser.Result;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every corpus request parsed in one call, one byte per call and in random chunks must give the
 * same result, the same error and the same request.
 */
class IncrementalParsingTest {

    private static final int RANDOM_SPLITS = 25;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ringhttp.core.http.RequestCorpus#all")
    void givesTheSameResultWhateverTheReadBoundaries(RequestCorpus.Case c) {
        Snapshot oneShot = ParserHarness.oneShot(c.text(), c.maxRequestLength(), c.maxRequestLineLength(),
                c.maxHeaderCount());
        assertThat(oneShot.result()).isEqualTo(c.expected() == null ? Result.COMPLETE : Result.ERROR);
        assertThat(oneShot.error()).isEqualTo(c.expected());

        assertThat(ParserHarness.byteByByte(c.text(), c.maxRequestLength(), c.maxRequestLineLength(),
                c.maxHeaderCount())).isEqualTo(oneShot);
        Random random = new Random(c.name().hashCode());
        for (int i = 0; i < RANDOM_SPLITS; i++) {
            assertThat(ParserHarness.randomSplits(c.text(), random, c.maxRequestLength(), c.maxRequestLineLength(),
                    c.maxHeaderCount())).isEqualTo(oneShot);
        }
    }
}
