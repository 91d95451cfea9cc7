package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A configuration whose direct buffers exceed the JVM's limit fails before allocating, saying what to change. */
class DirectMemoryLimitTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void refusesDirectBuffersOverTheLimitNamingTheFootprintItsParametersAndTheFlag() {
        ServerConfig defaults = ServerConfig.builder().build();

        assertThatThrownBy(() -> DirectMemoryLimit.check(defaults, 64 * MIB))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.parameter()).isEqualTo("footprint"))
                .hasMessageStartingWith("footprint is " + defaults.footprint() + " bytes")
                .hasMessageContaining("its " + defaults.directBytes() + " bytes (")
                .hasMessageContaining("limit of " + 64 * MIB + " bytes (64 MiB)")
                .hasMessageContaining("-XX:MaxDirectMemorySize")
                .hasMessageContaining("outgoingBufferSize").hasMessageContaining("maxConnections")
                .hasMessageContaining("maxRequestLength").hasMessageContaining("responseHeaderBufferSize")
                .hasMessageContaining("maxWsConnections").hasMessageContaining("maxWsMessageLength");
    }

    @Test
    void acceptsDirectBuffersUpToTheLimit() {
        ServerConfig config = ServerConfig.builder().maxConnections(16).maxWsConnections(16).build();

        assertThatCode(() -> DirectMemoryLimit.check(config, config.directBytes())).doesNotThrowAnyException();
        assertThatThrownBy(() -> DirectMemoryLimit.check(config, config.directBytes() - 1))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void explainsAnOutOfDirectMemoryErrorButNoOther() {
        ServerConfig config = ServerConfig.builder().build();
        OutOfMemoryError direct = new OutOfMemoryError(
                "Cannot reserve 65667 bytes of direct buffer memory (allocated: 1, limit: 2)");

        InvalidConfigurationException e = DirectMemoryLimit.exhausted(config, direct);
        assertThat(e).hasMessageContaining("footprint is").hasMessageContaining("already in use")
                .hasMessageContaining("-XX:MaxDirectMemorySize").hasCause(direct);
        assertThat(DirectMemoryLimit.exhausted(config, new OutOfMemoryError("Java heap space"))).isNull();
    }

    @Test
    void readsTheLimitAsTheJdkDoes() {
        assertThat(DirectMemoryLimit.parseSize("64m")).isEqualTo(64 * MIB);
        assertThat(DirectMemoryLimit.parseSize("2G")).isEqualTo(2048 * MIB);
        assertThat(DirectMemoryLimit.parseSize("512k")).isEqualTo(512 * 1024);
        assertThat(DirectMemoryLimit.parseSize("1000")).isEqualTo(1000);
        assertThat(DirectMemoryLimit.parseSize("")).isZero();
        assertThat(DirectMemoryLimit.parseSize("lots")).isZero();
        assertThat(DirectMemoryLimit.parseSize("99999999999999t")).as("overflow").isZero();
        assertThat(DirectMemoryLimit.fromArguments(List.of("-Xmx1g", "-XX:MaxDirectMemorySize=1g",
                "-XX:MaxDirectMemorySize=32m"))).as("the last one wins").isEqualTo(32 * MIB);
        assertThat(DirectMemoryLimit.fromArguments(List.of("-Xmx1g"))).isZero();
        // This JVM runs without the flag (surefire's argLine), so the limit is the heap maximum.
        assertThat(DirectMemoryLimit.limit()).isEqualTo(Runtime.getRuntime().maxMemory());
    }

    @Test
    void aHeapTooSmallForTheDefaultsFailsBeforeAllocatingWithTheExplanation() throws Exception {
        Result result = runJava("-Xmx64m");
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("InvalidConfigurationException: footprint is")
                .contains("-XX:MaxDirectMemorySize").doesNotContain("Cannot reserve");
    }

    @Test
    void anExplicitDirectMemoryLimitIsHonoured() throws Exception {
        Result result = runJava("-Xmx256m", "-XX:MaxDirectMemorySize=32m");
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("limit of " + 32 * MIB + " bytes (32 MiB)");
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs {@link DefaultServer} in a JVM of its own with {@code jvmOptions}. */
    private static Result runJava(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DefaultServer.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the JVM did not exit within 60 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Builds a server with the default configuration (about 150 MiB of direct buffers). */
    static final class DefaultServer {
        public static void main(String[] args) {
            RingHttpServer.create(ServerConfig.builder().build(), (request, response) -> { }, WebSocketHandler.NONE)
                    .close();
            System.out.println("built");
        }
    }
}
