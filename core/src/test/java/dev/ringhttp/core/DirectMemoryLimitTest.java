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

/**
 * The buffers are mapped, committed as they are used, outside the direct-memory limit: a small heap
 * runs the defaults. When they cannot be mapped (no usable temporary directory) they are direct
 * buffers, and a configuration whose buffers exceed the JVM's limit fails before allocating, saying
 * what to change.
 */
class DirectMemoryLimitTest {

    private static final long MIB = 1024 * 1024;
    /** Without a temporary directory the buffers cannot be mapped, and are direct buffers. */
    private static final String NO_TEMPORARY_DIRECTORY = "-Djava.io.tmpdir=/nonexistent/ringhttp";

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
    void withMappedBuffersA128MiBHeapServesTheDefaultsAndTheBuffersAreNotResidentAtStart() throws Exception {
        Result result = runJava("-Xmx128m");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("served 200");
        long buffers = ServerConfig.builder().build().directBytes();
        long grown = Long.parseLong(result.output().replaceAll("(?s).*rss grew by (\\d+) bytes.*", "$1"));
        // Building touches each slot's first page and the small buffers whole; nothing like all of them.
        assertThat(grown).as("RSS growth of a started, idle server with %d bytes of buffers", buffers)
                .isLessThan(buffers / 4);
    }

    @Test
    void mappedBuffersLargerThanTheMachinesMemoryAreRefusedBeforeAnyIsReserved() {
        // 2^20 WebSockets of 1 MiB each: a TiB of receive buffers.
        ServerConfig huge = ServerConfig.builder().maxWsConnections(1 << 20).maxWsMessageLength(1 << 20).build();
        long mappedBefore = mappedBytes();
        assertThatThrownBy(() -> RingHttpServer.create(huge, (request, response) -> { }, WebSocketHandler.NONE))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.parameter()).isEqualTo("footprint"))
                .hasMessageContaining("buffers do not fit the machine's memory of " + DirectMemoryLimit.machineMemory())
                .hasMessageContaining("maxWsConnections").hasMessageContaining("maxWsMessageLength")
                .hasMessageContaining("largeBodyBuffers");
        assertThat(mappedBytes()).as("bytes mapped meanwhile").isEqualTo(mappedBefore);
    }

    private static long mappedBytes() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                .stream().filter(b -> b.getName().equals("mapped")).findFirst().orElseThrow().getMemoryUsed();
    }

    @Test
    void aHeapTooSmallForTheDefaultsFailsBeforeAllocatingWithTheExplanation() throws Exception {
        Result result = runJava("-Xmx64m", NO_TEMPORARY_DIRECTORY);
        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("InvalidConfigurationException: footprint is")
                .contains("-XX:MaxDirectMemorySize").doesNotContain("Cannot reserve");
    }

    @Test
    void anExplicitDirectMemoryLimitIsHonoured() throws Exception {
        Result result = runJava("-Xmx256m", "-XX:MaxDirectMemorySize=32m", NO_TEMPORARY_DIRECTORY);
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

    /**
     * Builds a server with the default configuration (about 187 MiB of buffers), starts it on a free
     * loopback port, answers one request and says how much its resident memory grew meanwhile.
     */
    static final class DefaultServer {
        public static void main(String[] args) throws Exception {
            long before = residentBytes();
            RingHttpServer server = RingHttpServer.create(ServerConfig.builder()
                    .address(java.net.InetAddress.getLoopbackAddress()).port(0).build(),
                    (request, response) -> response.body("ok"), WebSocketHandler.NONE);
            server.start();
            try (java.net.Socket s = new java.net.Socket(server.address().getAddress(), server.address().getPort())) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                System.out.println("served " + status.split(" ")[1]);
            }
            System.out.println("rss grew by " + (residentBytes() - before) + " bytes");
            server.close();
        }

        private static long residentBytes() throws java.io.IOException {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }
    }
}
