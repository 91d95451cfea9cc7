package dev.ringhttp.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks on captured console output (Spring Boot's {@code CapturedOutput} is a
 * {@link CharSequence}; so is a plain string), whatever the logging backend: Logback and Log4j
 * write ERROR and WARN, java.util.logging SEVERE and WARNING.
 */
public final class LogAssertions {

    private LogAssertions() {
    }

    /** Nothing was logged at WARN or above, and no exception was printed. */
    public static void assertNoWarningsOrErrors(CharSequence output) {
        assertThat(output.toString()).as("nothing logged at WARN or above")
                .doesNotContain(" ERROR ").doesNotContain(" WARN ")
                .doesNotContain("SEVERE").doesNotContain("WARNING:")
                .doesNotContain("Exception");
    }
}
