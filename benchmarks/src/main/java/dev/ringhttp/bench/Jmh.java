package dev.ringhttp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.ringhttp.bench.jmh.LoopAllocation;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks of {@code dev.ringhttp.bench.jmh} with the GC profiler and adds ns/op and B/op. */
final class Jmh {

    private Jmh() {
    }

    static void run(Path root, Path results, boolean quick, boolean taskset, Results table, List<String> notes)
            throws Exception {
        Path loopAllocation = Files.createTempFile("ringhttp-loop-allocation", ".txt");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.ringhttp\\.bench\\.jmh\\..*")
                .addProfiler(GCProfiler.class)
                .forks(1)
                .warmupIterations(quick ? 1 : 2).warmupTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
                .measurementIterations(quick ? 1 : 3).measurementTime(quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1))
                .timeUnit(TimeUnit.NANOSECONDS)
                // JDK 17's epoll selector boxes file descriptors above 127; the core's own allocation test does the same.
                .jvmArgsAppend("-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-XX:AutoBoxCacheMax=65536",
                        "-D" + LoopAllocation.FILE_PROPERTY + "=" + loopAllocation);
        Path pinned = root.resolve("java-on-cpu1.sh");
        if (taskset && Files.isExecutable(pinned)) {
            options.jvm(pinned.toString()); // the benchmark fork runs on the server's CPU, like the peers
        }
        Collection<RunResult> runs = new Runner(options.build()).run();
        for (RunResult run : runs) {
            StringBuilder label = new StringBuilder(run.getParams().getBenchmark().replace("dev.ringhttp.bench.jmh.", ""));
            for (String key : run.getParams().getParamsKeys()) {
                label.append(' ').append(key).append('=').append(run.getParams().getParam(key));
            }
            String name = label.toString();
            Result<?> primary = run.getPrimaryResult();
            table.add("JMH microbenchmarks (ringhttp core)", "time per operation", "ns/op", false, name,
                    primary.getScore());
            Result<?> alloc = run.getSecondaryResults().get("·gc.alloc.rate.norm");
            if (alloc == null) {
                alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
            }
            if (alloc != null) {
                table.add("JMH microbenchmarks (ringhttp core)", "bytes allocated per operation", "B/op", false,
                        name, alloc.getScore());
            }
        }
        addLoopAllocation(loopAllocation, table);
        notes.add("JMH: 1 fork, " + (quick ? "1+1 half-second" : "2+3 one-second") + " warm-up+measurement iterations, -prof gc; "
                + "the table gives the mean score of the measured iterations. gc.alloc.rate.norm sums every thread "
                + "of the fork, JMH's own included; for the broadcast benchmark, whose operations take milliseconds, "
                + "that floor is hundreds of bytes per operation, so the loop thread's own bytes per operation are "
                + "counted inside each measured operation and reported beside it.");
    }

    /** One row per measured iteration: the loop thread's bytes divided by its operations. */
    private static void addLoopAllocation(Path file, Results table) throws java.io.IOException {
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && Long.parseLong(f[2]) > 0) {
                table.add("JMH microbenchmarks (ringhttp core)", "bytes allocated per operation by the loop thread",
                        "B/op", false, f[0], Long.parseLong(f[1]) / (double) Long.parseLong(f[2]));
            }
        }
        Files.deleteIfExists(file);
    }
}
