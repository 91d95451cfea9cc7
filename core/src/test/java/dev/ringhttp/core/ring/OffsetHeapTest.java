package dev.ringhttp.core.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OffsetHeapTest {

    @Test
    void emptyHeapHasNoMinimum() {
        OffsetHeap heap = new OffsetHeap(4);

        assertThat(heap.isEmpty()).isTrue();
        assertThat(heap.size()).isZero();
        assertThatThrownBy(heap::minId).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(heap::minKey).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void zeroCapacityHoldsNothing() {
        OffsetHeap heap = new OffsetHeap(0);

        assertThat(heap.footprintBytes()).isZero();
        assertThatThrownBy(() -> heap.add(0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new OffsetHeap(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membershipMisuseIsRejected() {
        OffsetHeap heap = new OffsetHeap(4);
        heap.add(2, 10);

        assertThatThrownBy(() -> heap.add(2, 11)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> heap.update(1, 11)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> heap.key(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> heap.contains(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> heap.add(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class);

        heap.remove(1); // absent: no-op
        assertThat(heap.size()).isOne();
        assertThat(heap.key(2)).isEqualTo(10);
    }

    @Test
    void fillsToCapacityAndDrainsInKeyOrder() {
        int capacity = 100;
        OffsetHeap heap = new OffsetHeap(capacity);
        for (int id = 0; id < capacity; id++) {
            heap.add(id, (id * 37L) % capacity); // a permutation of [0, 100)
        }

        assertThat(heap.size()).isEqualTo(capacity);
        for (long expected = 0; expected < capacity; expected++) {
            assertThat(heap.minKey()).isEqualTo(expected);
            int id = heap.minId();
            assertThat(heap.key(id)).isEqualTo(expected);
            heap.remove(id);
            assertThat(heap.contains(id)).isFalse();
        }
        assertThat(heap.isEmpty()).isTrue();
    }

    @Test
    void removesRootLeafAndMiddle() {
        OffsetHeap heap = new OffsetHeap(16);
        for (int id = 0; id < 15; id++) {
            heap.add(id, id * 10L); // inserted in order: position == id
        }

        heap.remove(0);   // root
        heap.remove(14);  // last leaf
        heap.remove(3);   // middle, with children
        heap.remove(9);   // a leaf that is not last

        assertThat(drain(heap)).containsExactly(10L, 20L, 40L, 50L, 60L, 70L, 80L, 100L, 110L, 120L, 130L);
    }

    @Test
    void removingAMiddleEntryCanMoveTheLastOneUp() {
        OffsetHeap heap = new OffsetHeap(8);
        // Left subtree holds large keys, the right one small keys; the last
        // entry (in the right subtree) must move up when it fills a hole on the left.
        heap.add(0, 0);
        heap.add(1, 100);
        heap.add(2, 1);
        heap.add(3, 101);
        heap.add(4, 102);
        heap.add(5, 2);

        heap.remove(3);

        assertThat(drain(heap)).containsExactly(0L, 1L, 2L, 100L, 102L);
    }

    @Test
    void updatesKeysUpAndDown() {
        OffsetHeap heap = new OffsetHeap(8);
        for (int id = 0; id < 8; id++) {
            heap.add(id, 100 + id);
        }

        heap.update(7, 1);       // down to the root
        assertThat(heap.minId()).isEqualTo(7);
        heap.update(7, 1000);    // up to a leaf
        assertThat(heap.minId()).isZero();
        heap.update(0, 100);     // unchanged
        assertThat(heap.minId()).isZero();
        heap.addOrUpdate(0, 500);
        heap.addOrUpdate(3, 50);
        assertThat(heap.minId()).isEqualTo(3);
        heap.remove(3);
        heap.addOrUpdate(3, 50);

        assertThat(heap.key(7)).isEqualTo(1000);
        assertThat(drain(heap)).containsExactly(50L, 101L, 102L, 104L, 105L, 106L, 500L, 1000L);
    }

    @Test
    void footprintCountsItsArrays() {
        assertThat(new OffsetHeap(1000).footprintBytes()).isEqualTo(1000L * (Integer.BYTES + Long.BYTES + Integer.BYTES));
        assertThat(new OffsetHeap(1000).capacity()).isEqualTo(1000);
    }

    @Test
    void matchesAReferenceModelOverRandomOperations() {
        int capacity = 64;
        int steps = 50_000;
        SplittableRandom random = new SplittableRandom(0x5EED);
        OffsetHeap heap = new OffsetHeap(capacity);
        boolean[] present = new boolean[capacity];
        long[] keys = new long[capacity];

        for (int step = 0; step < steps; step++) {
            int id = random.nextInt(capacity);
            // A narrow key range forces ties; a wide one exercises long comparisons.
            long key = random.nextBoolean() ? random.nextInt(16) : random.nextLong();
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (present[id]) {
                        assertThatThrownBy(() -> heap.add(id, key)).isInstanceOf(IllegalStateException.class);
                    } else {
                        heap.add(id, key);
                        present[id] = true;
                        keys[id] = key;
                    }
                }
                case 1 -> {
                    if (present[id]) {
                        heap.update(id, key);
                        keys[id] = key;
                    }
                }
                case 2 -> {
                    heap.addOrUpdate(id, key);
                    present[id] = true;
                    keys[id] = key;
                }
                case 3 -> {
                    heap.remove(id);
                    present[id] = false;
                }
                default -> {
                    if (!heap.isEmpty()) {
                        int min = heap.minId();
                        heap.remove(min);
                        present[min] = false;
                    }
                }
            }
            assertMatches(heap, present, keys);
        }
    }

    private static void assertMatches(OffsetHeap heap, boolean[] present, long[] keys) {
        int count = 0;
        long min = Long.MAX_VALUE;
        for (int id = 0; id < present.length; id++) {
            assertThat(heap.contains(id)).isEqualTo(present[id]);
            if (present[id]) {
                count++;
                min = Math.min(min, keys[id]);
                assertThat(heap.key(id)).isEqualTo(keys[id]);
            }
        }
        assertThat(heap.size()).isEqualTo(count);
        assertThat(heap.isEmpty()).isEqualTo(count == 0);
        if (count > 0) {
            assertThat(heap.minKey()).isEqualTo(min);
            assertThat(present[heap.minId()]).isTrue();
            assertThat(keys[heap.minId()]).isEqualTo(min);
        }
    }

    private static List<Long> drain(OffsetHeap heap) {
        List<Long> keys = new ArrayList<>();
        while (!heap.isEmpty()) {
            keys.add(heap.minKey());
            heap.remove(heap.minId());
        }
        return keys;
    }
}
