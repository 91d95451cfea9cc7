package dev.ringhttp.core;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Whether a configuration's buffers fit the JVM's direct-memory limit when they must be direct
 * buffers (the {@link BufferArena} could not map them), checked before the server allocates any, so that a heap too small for the defaults fails with a message that says
 * what to change instead of the JDK's "Cannot reserve N bytes of direct buffer memory" halfway
 * through the allocation.
 *
 * <p>The limit is what {@code -XX:MaxDirectMemorySize} says; unset (or 0), the JDK uses the
 * maximum heap size ({@link Runtime#maxMemory()}). The JDK keeps the resulting figure in an
 * internal class, so it is read here through supported interfaces: the HotSpot diagnostic MXBean's
 * view of the flag, else the JVM's input arguments, else the heap maximum.
 *
 * <p>Only the server's own buffers are compared with the limit, not what other code already uses:
 * buffers of servers that are garbage but not yet collected count as used until a GC, and the
 * JDK collects and retries before it gives up an allocation. When the allocation fails anyway
 * ({@link OutOfMemoryError}), {@link #exhausted} explains it the same way, with what was in use.
 */
final class DirectMemoryLimit {

    private static final String FLAG = "MaxDirectMemorySize";
    private static final String FLAG_ARGUMENT = "-XX:" + FLAG + "=";
    private static final long MIB = 1024 * 1024;
    /** What the JDK's own message says when {@code allocateDirect} runs out of its limit. */
    private static final String JDK_DIRECT_OOM = "direct buffer memory";
    /** The parameters that size the buffers, for the messages. */
    private static final String SIZING_PARAMETERS = "outgoingBufferSize, maxConnections, maxRequestLength,"
            + " responseHeaderBufferSize, maxWsConnections, maxWsMessageLength, largeBodyBuffers or maxRequestBodyLength";

    private DirectMemoryLimit() {
    }

    /**
     * Throws if {@code config}'s direct buffers exceed the JVM's limit.
     *
     * @throws InvalidConfigurationException naming the footprint, the parameters that size it and
     *     {@code -XX:MaxDirectMemorySize}
     */
    static void check(ServerConfig config) {
        check(config, limit());
    }

    /**
     * Throws if {@code config}'s buffers exceed the machine's memory (the container's limit, where
     * the JVM runs in one): mapped buffers are outside the direct-memory limit, but a reservation
     * larger than the memory could never be used whole, and is a mistake to say at start-up.
     */
    static void checkMapped(ServerConfig config) {
        long memory = machineMemory();
        if (memory > 0 && config.directBytes() > memory) {
            throw new InvalidConfigurationException("footprint", size(config.footprint()),
                    "its " + size(config.directBytes()) + " of buffers do not fit the machine's memory of "
                    + size(memory) + "; lower " + SIZING_PARAMETERS);
        }
    }

    /**
     * The memory the JVM may use: the container's limit, else the machine's; 0 if the JVM does not
     * say. Read once per JVM: in a container the JVM reads cgroup files for it, tens of kilobytes of
     * garbage that would otherwise come with every server built.
     */
    static long machineMemory() {
        return MachineMemory.BYTES;
    }

    private static final class MachineMemory {
        static final long BYTES = read();

        private static long read() {
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean hotspot ? hotspot.getTotalMemorySize() : 0;
        }
    }

    /** {@link #check(ServerConfig)} against a given limit. */
    static void check(ServerConfig config, long limit) {
        if (config.directBytes() > limit) {
            throw refused(config, "do not fit the JVM's direct memory limit of " + size(limit));
        }
    }

    /**
     * The explanation for an {@link OutOfMemoryError} thrown while the server allocated its
     * buffers, or {@code null} if it is not about direct memory.
     */
    static InvalidConfigurationException exhausted(ServerConfig config, OutOfMemoryError error) {
        String message = error.getMessage();
        if (message == null || !message.toLowerCase(Locale.ROOT).contains(JDK_DIRECT_OOM)) {
            return null;
        }
        InvalidConfigurationException e = refused(config, "did not fit the JVM's direct memory limit of "
                + size(limit()) + ", of which " + size(used()) + " was already in use");
        e.initCause(error);
        return e;
    }

    private static InvalidConfigurationException refused(ServerConfig config, String problem) {
        return new InvalidConfigurationException("footprint", size(config.footprint()),
                "its " + size(config.directBytes()) + " of direct buffers " + problem
                + " (-XX:" + FLAG + ", which defaults to the maximum heap size, -Xmx); lower " + SIZING_PARAMETERS
                + ", or raise -XX:" + FLAG);
    }

    /** The JVM's direct-memory limit in bytes, as the JDK computes it. */
    static long limit() {
        long flag = flagValue();
        return flag > 0 ? flag : Runtime.getRuntime().maxMemory();
    }

    /** Bytes of direct buffers allocated in this JVM now, or 0 if the JVM does not say. */
    static long used() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(pool.getName())) {
                return Math.max(0, pool.getMemoryUsed());
            }
        }
        return 0;
    }

    /** {@code -XX:MaxDirectMemorySize} in bytes; 0 when unset or unknown. */
    private static long flagValue() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot != null) {
                return Long.parseLong(hotspot.getVMOption(FLAG).getValue());
            }
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, or the flag is unknown to it: read the command line instead.
        }
        return fromArguments(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The last {@code -XX:MaxDirectMemorySize=} among {@code arguments} (the JVM takes the last), 0 if none. */
    static long fromArguments(List<String> arguments) {
        long value = 0;
        for (String argument : arguments) {
            if (argument.startsWith(FLAG_ARGUMENT)) {
                value = parseSize(argument.substring(FLAG_ARGUMENT.length()));
            }
        }
        return value;
    }

    /** A HotSpot size: digits with an optional k, m, g or t suffix (either case); 0 if malformed. */
    static long parseSize(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        char unit = Character.toLowerCase(text.charAt(text.length() - 1));
        int shift = unit == 'k' ? 10 : unit == 'm' ? 20 : unit == 'g' ? 30 : unit == 't' ? 40 : 0;
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        try {
            long n = Long.parseLong(digits);
            // A size that overflows a long is no limit at all.
            return n < 0 || n > Long.MAX_VALUE >> shift ? 0 : n << shift;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String size(long bytes) {
        return bytes + " bytes (" + (bytes + MIB / 2) / MIB + " MiB)";
    }
}
