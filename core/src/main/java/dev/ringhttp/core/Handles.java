package dev.ringhttp.core;

/**
 * The layout of a connection handle: one tenant of one slot, and the loop that owns it.
 *
 * <pre>
 *  63           40 39     32 31                0
 * +---------------+---------+-------------------+
 * |  generation   |  loop   |  server-wide id   |
 * +---------------+---------+-------------------+
 * </pre>
 *
 * The generation (24 bits, never 0) changes each time the slot's connection closes, so a handle
 * kept past the close names no later tenant, unless the slot is reused 2^24 times in between. A
 * bare id is never a handle: its generation bits are 0.
 */
final class Handles {

    static final int GENERATION_MASK = 0xFF_FFFF;

    private Handles() {
    }

    static long of(int generation, int loop, int serverId) {
        return ((long) generation << 40) | ((long) loop << 32) | (serverId & 0xFFFF_FFFFL);
    }

    /** The generation after {@code generation}: 24 bits, skipping 0. */
    static int next(int generation) {
        int next = (generation + 1) & GENERATION_MASK;
        return next == 0 ? 1 : next;
    }

    static int loop(long handle) {
        return (int) (handle >>> 32) & 0xFF;
    }

    static int id(long handle) {
        return (int) handle;
    }
}
