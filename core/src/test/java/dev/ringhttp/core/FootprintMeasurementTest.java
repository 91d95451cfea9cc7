package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The footprint a server reports against what building it really allocates, as the JVM counts it:
 * buffers by the JVM's buffer pools (the mapped one, where the buffers come from, and the direct
 * one, which must not grow), heap by the building thread's allocation counter.
 * Direct memory must match to the byte; the heap within 2% (object layout is the JVM's, the
 * per-slot object sizes in {@link Footprint} were measured on it).
 */
class FootprintMeasurementTest {

    private static final BufferPoolMXBean DIRECT = pool("direct");
    private static final BufferPoolMXBean MAPPED = pool("mapped");
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static Stream<ServerConfig> configs() {
        ServerConfig.Builder small = ServerConfig.builder().port(0).maxRequestLength(1024).maxRequestLineLength(512)
                .responseHeaderBufferSize(512).maxWsMessageLength(256).maxWsSendFrames(16).outgoingBufferSize(1 << 16);
        return Stream.of(
                small.maxConnections(300).maxWsConnections(1).build(),
                small.maxConnections(1).maxWsConnections(300).build(),
                small.maxConnections(200).maxWsConnections(200).maxHeaderCount(200).maxWsSendFrames(500).build(),
                ServerConfig.builder().port(0).maxConnections(256).maxWsConnections(256).build(),
                // Several loops: each builds its share, with a ring of its own.
                small.maxConnections(200).maxWsConnections(200).maxHeaderCount(64).maxWsSendFrames(16).eventLoops(2).build(),
                small.eventLoops(4).build());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void buildingAllocatesWhatTheFootprintSays(ServerConfig config) throws Exception {
        // Once, so that class initialisation is not counted as the server's.
        RingHttpServer.create(config, (req, res) -> { }, WebSocketHandler.NONE).close();
        awaitFreedDirectMemory();

        long heapBefore = THREADS.getCurrentThreadAllocatedBytes();
        long directBefore = DIRECT.getMemoryUsed();
        long mappedBefore = MAPPED.getMemoryUsed();
        RingHttpServer server = RingHttpServer.create(config, (req, res) -> { }, WebSocketHandler.NONE);
        long heap = THREADS.getCurrentThreadAllocatedBytes() - heapBefore;
        long direct = DIRECT.getMemoryUsed() - directBefore;
        long mapped = MAPPED.getMemoryUsed() - mappedBefore;
        try {
            System.out.printf("footprint %s: direct %,d measured %,d; heap %,d measured %,d (%+.2f%%)%n",
                    config, Footprint.direct(config), mapped + direct, Footprint.heap(config), heap,
                    100.0 * (heap - Footprint.heap(config)) / Footprint.heap(config));
            assertThat(server.footprint()).isEqualTo(config.footprint()).isEqualTo(Footprint.of(config));
            assertThat(mapped).as("bytes of buffers mapped").isEqualTo(Footprint.direct(config));
            assertThat(direct).as("direct bytes allocated besides").isZero();
            assertThat((double) heap).as("heap bytes allocated")
                    .isCloseTo(Footprint.heap(config), within(0.02 * Footprint.heap(config)));
        } finally {
            server.close();
        }
    }

    private static BufferPoolMXBean pool(String name) {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals(name)).findFirst().orElseThrow();
    }

    /** Buffers of servers closed earlier are freed by their cleaners, after a collection; wait for that. */
    private static void awaitFreedDirectMemory() throws InterruptedException {
        long previous = -1;
        for (int i = 0; i < 50; i++) {
            System.gc();
            Thread.sleep(20);
            long used = DIRECT.getMemoryUsed() + MAPPED.getMemoryUsed();
            if (used == previous) {
                return;
            }
            previous = used;
        }
    }
}
