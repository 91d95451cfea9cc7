package dev.ringhttp.bench.jmh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Bytes the benchmark thread (the server's loop) allocates inside the measured operations only, for benchmarks
 * with too few operations per iteration for {@code gc.alloc.rate.norm}: that figure sums every thread of the fork,
 * JMH's own included, so a benchmark of milliseconds per operation shows JMH's per-iteration allocations as
 * hundreds of bytes per operation.
 *
 * <p>Each measured iteration appends {@code name bytes operations} to the file named by the system property
 * {@value #FILE_PROPERTY}, which the harness reads. Reading the thread's counter allocates nothing.
 */
public final class LoopAllocation {

    public static final String FILE_PROPERTY = "bench.loopAllocationFile";

    private final String name;
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private boolean measuring;
    private long bytes;
    private long operations;
    private long openedAt;

    public LoopAllocation(String name) {
        this.name = name;
    }

    public void startIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        bytes = 0;
        operations = 0;
    }

    /** Call first thing in the operation. */
    public void open() {
        openedAt = threads.getCurrentThreadAllocatedBytes();
    }

    /** Call last thing in the operation. */
    public void close() {
        bytes += threads.getCurrentThreadAllocatedBytes() - openedAt;
        operations++;
    }

    public void endIteration() throws IOException {
        String file = System.getProperty(FILE_PROPERTY);
        if (measuring && file != null) {
            Files.writeString(Path.of(file), name + " " + bytes + " " + operations + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
