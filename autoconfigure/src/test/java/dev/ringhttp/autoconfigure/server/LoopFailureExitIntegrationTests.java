package dev.ringhttp.autoconfigure.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real default: a Spring Boot application whose event loop dies closes
 * its context and exits the JVM with a non-zero status, saying why at
 * ERROR. The application runs in a child JVM, since the exit is real.
 */
class LoopFailureExitIntegrationTests {

    private static final long EXIT_WAIT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void anApplicationWhoseLoopDiesExitsNonZeroAndSaysWhy() throws Exception {
        Path log = dir.resolve("application.log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Start-up speed over peak performance: the child lives for a few seconds.
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                LoopFailureExitApplication.class.getName(),
                "--spring.main.banner-mode=off", "--ringhttp.server.port=0", "--ringhttp.server.address=127.0.0.1",
                "--ringhttp.server.max-connections=4", "--ringhttp.server.max-websocket-connections=2",
                "--ringhttp.server.outgoing-buffer-size=1MB", "--ringhttp.server.shutdown-grace-period=0s"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(log);
            assertThat(exited).as("exited within " + EXIT_WAIT_SECONDS + " s; output:%n%s", output).isTrue();
            assertThat(output).contains(LoopFailureExitApplication.STARTED);
            assertThat(process.exitValue()).as("exit status; output:%n%s", output)
                    .isEqualTo(RingHttpLoopFailureHandler.EXIT_STATUS);
            assertThat(output).containsPattern("ERROR.*" + RingHttpLoopFailureHandler.class.getSimpleName()
                    + ".*Stopping the application: the ringhttp event loop died"
                    + " \\(java.nio.channels.ClosedSelectorException\\)");
        } finally {
            process.destroyForcibly();
        }
    }

}
