package dev.ringhttp.core.ring;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * An indexed binary min-heap of {@code (id, key)} pairs, where ids are ints in
 * {@code [0, capacity)} and keys are logical ring offsets. The server keeps one
 * entry per connection with pending output, keyed by its oldest pending offset,
 * so that {@link Evictor#evictBelow(long)} finds the victims by popping the
 * minimum instead of scanning every connection.
 *
 * <p>Invariants: {@code heapIds[0..size)} is a binary min-heap ordered by
 * {@code heapKeys} (the key of the entry at the same heap position); for every
 * present id, {@code heapIds[positions[id]] == id}; for every absent id,
 * {@code positions[id] == ABSENT}. Keys live beside the ids in heap order, not
 * per id, so a sift touches two adjacent arrays instead of chasing ids.
 *
 * <p>All arrays are allocated by the constructor; no operation allocates.
 * Membership and lookup are O(1); {@code add}, {@code update} and
 * {@code remove} are O(log n). Equal keys come out in no particular order.
 *
 * <p>Errors: naming an id outside {@code [0, capacity)} throws
 * {@link IndexOutOfBoundsException}; adding a present id, or updating or reading
 * the key of an absent one, throws {@link IllegalStateException}; asking an
 * empty heap for its minimum throws {@link NoSuchElementException}, as
 * {@link java.util.Queue#element()} does.
 *
 * <p>Not thread-safe: it is confined to the event loop that owns it.
 */
public final class OffsetHeap {

    /** Marks an id that has no heap position. */
    private static final int ABSENT = -1;

    /** Heap position of the root, the minimum. */
    private static final int ROOT = 0;

    private final int[] heapIds;
    private final long[] heapKeys;
    private final int[] positions;
    private int size;

    /**
     * @param capacity ids run over {@code [0, capacity)}; at most that many
     *                 entries are ever present
     * @throws IllegalArgumentException if {@code capacity < 0}
     */
    public OffsetHeap(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        heapIds = new int[capacity];
        heapKeys = new long[capacity];
        positions = new int[capacity];
        Arrays.fill(positions, ABSENT);
    }

    /** The number of distinct ids the heap can hold. */
    public int capacity() {
        return positions.length;
    }

    public boolean contains(int id) {
        return positions[Objects.checkIndex(id, positions.length)] != ABSENT;
    }

    /**
     * Inserts {@code id} with {@code key}.
     *
     * @throws IllegalStateException if {@code id} is already present
     */
    public void add(int id, long key) {
        if (contains(id)) {
            throw new IllegalStateException("id already in the heap: " + id);
        }
        int position = size++;
        place(position, id, key);
        siftUp(position);
    }

    /**
     * Changes the key of a present {@code id}; the new key may be lower or
     * higher than the old one.
     *
     * @throws IllegalStateException if {@code id} is absent
     */
    public void update(int id, long key) {
        int position = presentPosition(id);
        long old = heapKeys[position];
        heapKeys[position] = key;
        if (key < old) {
            siftUp(position);
        } else if (key > old) {
            siftDown(position);
        }
    }

    /** {@link #add} if {@code id} is absent, else {@link #update}. */
    public void addOrUpdate(int id, long key) {
        if (contains(id)) {
            update(id, key);
        } else {
            add(id, key);
        }
    }

    /** Removes {@code id}; does nothing if it is absent. */
    public void remove(int id) {
        if (!contains(id)) {
            return;
        }
        int position = positions[id];
        positions[id] = ABSENT;
        int last = --size;
        if (position == last) {
            return;
        }
        // The last entry fills the hole; it may belong above or below it.
        long movedKey = heapKeys[last];
        place(position, heapIds[last], movedKey);
        if (position > ROOT && movedKey < heapKeys[parent(position)]) {
            siftUp(position);
        } else {
            siftDown(position);
        }
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /**
     * The id with the lowest key.
     *
     * @throws NoSuchElementException if the heap is empty
     */
    public int minId() {
        requireNonEmpty();
        return heapIds[ROOT];
    }

    /**
     * The lowest key.
     *
     * @throws NoSuchElementException if the heap is empty
     */
    public long minKey() {
        requireNonEmpty();
        return heapKeys[ROOT];
    }

    /**
     * The key of a present {@code id}.
     *
     * @throws IllegalStateException if {@code id} is absent
     */
    public long key(int id) {
        return heapKeys[presentPosition(id)];
    }

    /** Exact bytes held by the backing arrays (their headers excluded). */
    public long footprintBytes() {
        return footprintBytes(positions.length);
    }

    /** Bytes of the arrays a heap of {@code capacity} ids allocates: heap ids, heap keys and positions. */
    public static long footprintBytes(int capacity) {
        return (long) capacity * (Integer.BYTES + Long.BYTES + Integer.BYTES);
    }

    private int presentPosition(int id) {
        int position = positions[Objects.checkIndex(id, positions.length)];
        if (position == ABSENT) {
            throw new IllegalStateException("id not in the heap: " + id);
        }
        return position;
    }

    private void requireNonEmpty() {
        if (size == 0) {
            throw new NoSuchElementException("the heap is empty");
        }
    }

    private void place(int position, int id, long key) {
        heapIds[position] = id;
        heapKeys[position] = key;
        positions[id] = position;
    }

    /** Moves the entry at {@code position} up while its parent has a larger key. */
    private void siftUp(int position) {
        int id = heapIds[position];
        long key = heapKeys[position];
        while (position > ROOT) {
            int parent = parent(position);
            if (heapKeys[parent] <= key) {
                break;
            }
            place(position, heapIds[parent], heapKeys[parent]);
            position = parent;
        }
        place(position, id, key);
    }

    /** Moves the entry at {@code position} down while a child has a smaller key. */
    private void siftDown(int position) {
        int id = heapIds[position];
        long key = heapKeys[position];
        int half = size >>> 1; // positions at or past half are leaves
        while (position < half) {
            int child = 2 * position + 1;
            int right = child + 1;
            if (right < size && heapKeys[right] < heapKeys[child]) {
                child = right;
            }
            if (key <= heapKeys[child]) {
                break;
            }
            place(position, heapIds[child], heapKeys[child]);
            position = child;
        }
        place(position, id, key);
    }

    private static int parent(int position) {
        return (position - 1) >>> 1;
    }
}
