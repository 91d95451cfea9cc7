package dev.ringhttp.core;

/**
 * Timeouts without a timer per connection and without scanning: one FIFO
 * list per kind of timeout, threaded through int arrays indexed by
 * connection.
 *
 * <p>Every timeout of one kind has the same duration, so a connection
 * appended when its clock starts lands behind every connection whose clock
 * started earlier: each list is sorted by deadline by construction. The loop
 * only ever looks at list heads, and moving a connection to a tail when its
 * clock restarts is O(1). A connection is in at most one list.
 *
 * <p>Ids are HTTP ids, then WebSocket ids offset by the HTTP pool size.
 * Preallocated; not thread-safe (loop thread only).
 */
final class Deadlines {

    static final int NONE = -1;

    /** The kinds of timeout, one list each. */
    static final int HTTP_REQUEST = 0;
    static final int HTTP_IDLE = 1;
    static final int WS_PING = 2;
    static final int WS_IDLE = 3;
    /**
     * A connection that sent its last words (an HTTP error status, a WebSocket close frame),
     * shut its side down and waits for the peer to finish ({@link #LINGER_MILLIS}); both pools.
     */
    static final int LINGER = 4;
    static final int LISTS = 5;

    /**
     * How long a connection the server ends keeps reading (and discarding) what the peer still
     * sends after the last response or close frame, before the socket closes anyway: enough for a
     * client to finish the body or message it was sending and see the answer, short enough that
     * a client which never stops holds its slot only briefly.
     */
    static final long LINGER_MILLIS = 2_000;

    /** Bytes of the list heads and tails, for the footprint. */
    static final int FIXED_BYTES = LISTS * 2 * Integer.BYTES;

    /** Bytes of the arrays per id, for the footprint: next, prev, list (ints) and start time (long). */
    static final int BYTES_PER_ID = 3 * Integer.BYTES + Long.BYTES;

    private final int[] next;
    private final int[] prev;
    private final int[] listOf;
    private final long[] since;
    private final int[] head;
    private final int[] tail;

    Deadlines(int ids, int lists) {
        next = new int[ids];
        prev = new int[ids];
        listOf = new int[ids];
        since = new long[ids];
        java.util.Arrays.fill(listOf, NONE);
        head = new int[lists];
        tail = new int[lists];
        java.util.Arrays.fill(head, NONE);
        java.util.Arrays.fill(tail, NONE);
    }

    /** Starts (or restarts) {@code id}'s clock in {@code list} at {@code startMillis}: it goes to the tail. */
    void append(int list, int id, long startMillis) {
        remove(id);
        since[id] = startMillis;
        listOf[id] = list;
        next[id] = NONE;
        prev[id] = tail[list];
        if (tail[list] == NONE) {
            head[list] = id;
        } else {
            next[tail[list]] = id;
        }
        tail[list] = id;
    }

    /** Stops {@code id}'s clock, whatever list it is in. */
    void remove(int id) {
        int list = listOf[id];
        if (list == NONE) {
            return;
        }
        int p = prev[id];
        int n = next[id];
        if (p == NONE) {
            head[list] = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail[list] = p;
        } else {
            prev[n] = p;
        }
        listOf[id] = NONE;
    }

    boolean in(int list, int id) {
        return listOf[id] == list;
    }

    /** The id whose clock in {@code list} started first, or {@link #NONE}. */
    int head(int list) {
        return head[list];
    }

    long since(int id) {
        return since[id];
    }
}
