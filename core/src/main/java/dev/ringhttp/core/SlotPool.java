package dev.ringhttp.core;

/**
 * Fixed set of connection ids {@code [0, capacity)}: a stack of free ids and
 * a dense list of active ids, both preallocated.
 *
 * <p>Invariant: {@code position[id]} is the index of {@code id} in
 * {@code active}, or -1 while the id is free. Removing swaps the last active
 * id into the hole, so iterating {@code active} from the end down stays
 * correct while the loop body releases the id it is visiting.
 */
final class SlotPool {

    /** Bytes of the three int arrays per slot, for the footprint. */
    static final int BYTES_PER_SLOT = 3 * Integer.BYTES;

    private final int[] free;
    private final int[] active;
    private final int[] position;
    private int freeCount;
    private int activeCount;
    private int roundRobin;

    SlotPool(int capacity) {
        free = new int[capacity];
        active = new int[capacity];
        position = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            // Lowest ids on top of the stack: connections get small, predictable ids.
            free[i] = capacity - 1 - i;
            position[i] = -1;
        }
        freeCount = capacity;
    }

    int capacity() {
        return free.length;
    }

    boolean isFull() {
        return freeCount == 0;
    }

    /** Takes a free id; -1 when the pool is full. */
    int acquire() {
        if (freeCount == 0) {
            return -1;
        }
        int id = free[--freeCount];
        position[id] = activeCount;
        active[activeCount++] = id;
        return id;
    }

    void release(int id) {
        int at = position[id];
        if (at < 0) {
            throw new IllegalStateException("connection id " + id + " is not in use");
        }
        int last = active[--activeCount];
        active[at] = last;
        position[last] = at;
        position[id] = -1;
        free[freeCount++] = id;
    }

    boolean isActive(int id) {
        return position[id] >= 0;
    }

    int activeCount() {
        return activeCount;
    }

    int activeAt(int index) {
        return active[index];
    }

    /** The next id in round-robin order, for eviction when the pool is full and nothing is pending in the ring. */
    int nextRoundRobin() {
        int id = roundRobin;
        roundRobin = (roundRobin + 1) % free.length;
        return id;
    }
}
