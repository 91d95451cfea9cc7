package dev.ringhttp.core;

/**
 * Decides whether a loop reads a connection in the turn that accepts it. The read pays when the
 * request is already there, as it is for connections that waited in the backlog of a busy loop: the
 * connection is answered at once and, if it closes, never registered with the selector. When the
 * loop keeps up and clients send only once their connect completes, the read finds nothing and is
 * a system call spent for no gain; the connection is registered all the same.
 *
 * <p>A score follows which is the case. A read that found the request adds {@value #HIT}, one that
 * found nothing takes one away, within [{@value #FLOOR}, {@value #CEILING}]: reading at once pays
 * while more than one read in seven finds its request, since a hit spares about that
 * many calls (two {@code epoll_ctl}, an {@code epoll_wait} share, the JDK's {@code SO_LINGER}
 * query and {@code shutdown} at close). While the score is below zero, one connection in
 * {@value #PROBE} is still read at once, so that a loop that falls behind notices. Loop thread only.
 */
final class ReadOnAccept {

    static final int HIT = 6;
    static final int FLOOR = -8 * HIT;
    static final int CEILING = 8 * HIT;
    static final int PROBE = 8;

    private int score;
    private int skipped;

    /** Whether to read the connection just accepted now, in this turn. */
    boolean readNow() {
        if (score >= 0) {
            return true;
        }
        skipped++;
        if (skipped == PROBE) {
            skipped = 0;
            return true;
        }
        return false;
    }

    /** What the read made because {@link #readNow} said so found: {@code request} true if it found bytes. */
    void record(boolean request) {
        score = request ? Math.min(CEILING, score + HIT) : Math.max(FLOOR, score - 1);
    }

    /** Reading at once is worth it for now. */
    boolean paying() {
        return score >= 0;
    }
}
