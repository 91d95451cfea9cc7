package dev.ringhttp.core;

/**
 * Every connection's clock and what happens when it runs out: the request-read and idle timeouts
 * of HTTP connections, the ping and idle timeouts of WebSockets, and the linger time of both.
 * The lists themselves are {@link Deadlines}; this class maps connections onto them, tells the
 * loop how long it may sleep, and expires exactly the connections whose time is up, from the
 * list heads, without scanning.
 *
 * <p>Which clock runs in which state is the connections' business (see their class comments);
 * they start and stop clocks here as their state changes. Loop thread only.
 */
final class Timeouts {

    private final EventLoop loop;
    private final ConnectionTable table;
    private final Deadlines deadlines;
    /** WebSocket ids follow the HTTP ids in {@link #deadlines}. */
    private final int wsBase;
    private final long requestTimeout;
    private final long idleTimeout;
    private final long wsTimeout;

    Timeouts(ServerConfig config, EventLoop loop, ConnectionTable table) {
        this.loop = loop;
        this.table = table;
        this.wsBase = config.maxConnections();
        this.deadlines = new Deadlines(config.maxConnections() + config.maxWsConnections(), Deadlines.LISTS);
        this.requestTimeout = config.requestReadTimeoutMillis();
        this.idleTimeout = config.idleTimeoutMillis();
        this.wsTimeout = config.wsIdleTimeoutMillis();
    }

    private int slot(Connection c) {
        return c.type == ConnectionType.HTTP ? c.id : wsBase + c.id;
    }

    /** Starts (or restarts) {@code c}'s clock of kind {@code list} now; it leaves any other clock. */
    void start(Connection c, int list) {
        deadlines.append(list, slot(c), loop.clock());
    }

    /** Starts {@code c}'s clock of kind {@code list} unless that one already runs. */
    void startUnlessRunning(Connection c, int list) {
        int slot = slot(c);
        if (!deadlines.in(list, slot)) {
            deadlines.append(list, slot, loop.clock());
        }
    }

    boolean runs(Connection c, int list) {
        return deadlines.in(list, slot(c));
    }

    void stop(Connection c) {
        deadlines.remove(slot(c));
    }

    /** Closes, pings or refuses, from the list heads, exactly the connections whose time is up. */
    void expire() {
        int id;
        while (requestTimeout > 0 && (id = due(Deadlines.HTTP_REQUEST, requestTimeout)) != Deadlines.NONE) {
            deadlines.remove(id);
            table.http(id).refuse(CloseReason.REQUEST_TIMEOUT);
        }
        while (idleTimeout > 0 && (id = due(Deadlines.HTTP_IDLE, idleTimeout)) != Deadlines.NONE) {
            deadlines.remove(id);
            table.close(table.http(id), CloseReason.IDLE_TIMEOUT);
        }
        while (wsTimeout > 0 && (id = due(Deadlines.WS_PING, wsTimeout / 2)) != Deadlines.NONE) {
            // Pinged in silence order, so the idle list stays sorted by when each went silent.
            deadlines.append(Deadlines.WS_IDLE, id, deadlines.since(id));
            table.ws(id - wsBase).ping();
        }
        while (wsTimeout > 0 && (id = due(Deadlines.WS_IDLE, wsTimeout)) != Deadlines.NONE) {
            deadlines.remove(id);
            table.close(table.ws(id - wsBase), CloseReason.WS_IDLE_TIMEOUT);
        }
        while ((id = due(Deadlines.LINGER, Deadlines.LINGER_MILLIS)) != Deadlines.NONE) {
            deadlines.remove(id);
            Connection c = id < wsBase ? table.http(id) : table.ws(id - wsBase);
            c.endLinger();
        }
    }

    /** The head of {@code list} if its {@code timeout} has run out, else {@link Deadlines#NONE}. */
    private int due(int list, long timeout) {
        int head = deadlines.head(list);
        return head != Deadlines.NONE && loop.clock() - deadlines.since(head) >= timeout ? head : Deadlines.NONE;
    }

    /** Milliseconds until the earliest deadline, so that select wakes up for it; Long.MAX_VALUE if none. */
    long millisToNext() {
        long next = Long.MAX_VALUE;
        next = Math.min(next, untilDue(Deadlines.HTTP_REQUEST, requestTimeout));
        next = Math.min(next, untilDue(Deadlines.HTTP_IDLE, idleTimeout));
        next = Math.min(next, untilDue(Deadlines.WS_PING, wsTimeout / 2));
        next = Math.min(next, untilDue(Deadlines.WS_IDLE, wsTimeout));
        next = Math.min(next, untilDue(Deadlines.LINGER, Deadlines.LINGER_MILLIS));
        return next;
    }

    private long untilDue(int list, long timeout) {
        int head = deadlines.head(list);
        if (timeout <= 0 || head == Deadlines.NONE) {
            return Long.MAX_VALUE;
        }
        // At least 1 ms: select(0) would block forever.
        return Math.max(1, deadlines.since(head) + timeout - loop.clock());
    }
}
