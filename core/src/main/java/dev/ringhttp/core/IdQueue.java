package dev.ringhttp.core;

/**
 * A first-in, first-out queue of connection ids with a fixed capacity, preallocated. Used for
 * work the loop must do at its next safe point, once per connection at most, so the pool size
 * bounds it. Loop thread only.
 */
final class IdQueue {

    private final int[] ids;
    private int head;
    private int count;

    IdQueue(int capacity) {
        ids = new int[capacity];
    }

    boolean isEmpty() {
        return count == 0;
    }

    void add(int id) {
        if (count == ids.length) {
            throw new IllegalStateException("id queue of " + ids.length + " is full");
        }
        int at = head + count++;
        ids[at >= ids.length ? at - ids.length : at] = id;
    }

    int remove() {
        int id = ids[head];
        head = head + 1 == ids.length ? 0 : head + 1;
        count--;
        return id;
    }
}
