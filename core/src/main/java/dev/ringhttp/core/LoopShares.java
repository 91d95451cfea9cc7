package dev.ringhttp.core;

/**
 * How a server-wide count (a pool's slots, the large-body buffers) splits between event loops, and
 * which loop owns a server-wide id.
 *
 * <p>Loop {@code k} of {@code n} gets {@code total / n} items, one more for the first
 * {@code total % n} loops, and the contiguous id range after the loops before it. So ids stay dense
 * in {@code [0, total)}, as with one loop, and an id names its loop without a table.
 */
final class LoopShares {

    private LoopShares() {
    }

    /** Items of {@code total} that loop {@code loop} of {@code loops} owns. */
    static int size(int total, int loops, int loop) {
        return total / loops + (loop < total % loops ? 1 : 0);
    }

    /** The first server-wide id of loop {@code loop}'s range. */
    static int base(int total, int loops, int loop) {
        int larger = total % loops;
        int small = total / loops;
        return loop * small + Math.min(loop, larger);
    }

    /** The loop whose range holds {@code id}, {@code 0 <= id < total}. */
    static int owner(int total, int loops, int id) {
        int larger = total % loops;
        int small = total / loops;
        int largeIds = larger * (small + 1);
        return id < largeIds ? id / (small + 1) : larger + (id - largeIds) / small;
    }
}
