package dev.ringhttp.core.ring;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

class OutgoingRingTest {

    private static final int SMALL = 8;
    private static final int[] CAPACITIES = {1, 7, 8, 16, 64};

    /**
     * Stands in for the server: each connection has one pending message, at a
     * logical offset, with the bytes it expects to send. Evicts exactly those
     * strictly below the threshold, and remembers every threshold and victim.
     */
    private static final class Clients implements Evictor {
        final Map<Integer, Long> offsets = new LinkedHashMap<>();
        final Map<Integer, byte[]> contents = new LinkedHashMap<>();
        final List<Long> thresholds = new ArrayList<>();
        final Set<Integer> evicted = new HashSet<>();
        final Map<Integer, Long> evictedOffsets = new LinkedHashMap<>();
        LongConsumer onEvict = threshold -> { };
        private int nextId;

        int connect(long offset, byte[] content) {
            int id = nextId++;
            offsets.put(id, offset);
            contents.put(id, content);
            return id;
        }

        void finish(int id) {
            offsets.remove(id);
            contents.remove(id);
        }

        @Override
        public void evictBelow(long threshold) {
            thresholds.add(threshold);
            onEvict.accept(threshold);
            offsets.entrySet().removeIf(entry -> {
                if (entry.getValue() < threshold) {
                    evicted.add(entry.getKey());
                    evictedOffsets.put(entry.getKey(), entry.getValue());
                    contents.remove(entry.getKey());
                    return true;
                }
                return false;
            });
        }

        /** Every connection still pending can read its bytes intact. */
        void assertIntact(OutgoingRing ring) {
            for (Map.Entry<Integer, Long> entry : offsets.entrySet()) {
                long offset = entry.getValue();
                assertThat(ring.isOverwritten(offset)).as("connection %d at %d overwritten", entry.getKey(), offset)
                        .isFalse();
                assertThat(read(ring, offset, contents.get(entry.getKey()).length))
                        .as("connection %d at %d", entry.getKey(), offset)
                        .isEqualTo(contents.get(entry.getKey()));
            }
        }
    }

    private static byte[] read(OutgoingRing ring, long offset, int length) {
        ByteBuffer view = ring.buffer().duplicate();
        ring.view(view, offset, length);
        byte[] bytes = new byte[length];
        view.get(bytes);
        return bytes;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(US_ASCII);
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('A' + (seed * 7 + i) % 26);
        }
        return bytes;
    }

    /** Stages and hands off {@code body}, and registers a connection pending on it. */
    private static int send(OutgoingRing ring, Clients clients, byte[] body) {
        ring.stage(body);
        long offset = ring.handOff();
        assertThat(offset).isNotEqualTo(OutgoingRing.HAND_OFF_FAILED);
        return clients.connect(offset, body);
    }

    @Test
    void handsOffMessagesBackToBack() {
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(SMALL, clients);

        ring.stage(bytes("abc"));
        assertThat(ring.stageOffset()).isZero();
        assertThat(ring.stageLength()).isEqualTo(3);
        assertThat(ring.handOff()).isZero();
        ring.stage(bytes("de"));
        assertThat(ring.handOff()).isEqualTo(3);
        assertThat(ring.handOff()).isEqualTo(5); // empty message
        assertThat(ring.stageOffset()).isEqualTo(5);
        assertThat(ring.stageLength()).isZero();
        assertThat(ring.stagedBytesTotal()).isEqualTo(5);
        assertThat(read(ring, 0, 5)).isEqualTo(bytes("abcde"));
        assertThat(ring.capacity()).isEqualTo(SMALL);
        assertThat(ring.footprintBytes()).isEqualTo(SMALL);
        assertThat(ring.buffer().isDirect()).isTrue();
        assertThat(clients.thresholds).isEmpty();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new OutgoingRing(0, t -> { })).isInstanceOf(IllegalArgumentException.class);
        OutgoingRing ring = new OutgoingRing(SMALL, t -> { });
        assertThatThrownBy(() -> ring.index(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.reserve(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.view(ByteBuffer.allocate(SMALL + 1), 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.view(ring.buffer().duplicate(), 6, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.index(19)).isEqualTo(3);
    }

    @Test
    void stagesEveryBodySizeAtEveryPhaseOfEveryLap() {
        for (int capacity : CAPACITIES) {
            for (int laps = 0; laps <= 2; laps++) {
                for (int phase = 0; phase < capacity; phase++) {
                    for (int size = 0; size <= capacity + 1; size++) {
                        checkBodyAt(capacity, laps, phase, size);
                    }
                }
            }
        }
    }

    private static void checkBodyAt(int capacity, int laps, int phase, int size) {
        String where = "capacity " + capacity + ", laps " + laps + ", phase " + phase + ", size " + size;
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(capacity, clients);
        for (int lap = 0; lap < laps; lap++) {
            ring.stage(pattern(capacity, lap)); // whole laps, nobody pending on them
            assertThat(ring.handOff()).isEqualTo((long) lap * capacity);
        }
        long lapStart = (long) laps * capacity;
        int before = phase > 0 ? send(ring, clients, pattern(phase, 99)) : -1;
        clients.thresholds.clear();
        byte[] body = pattern(size, size);

        ring.stage(body);
        long offset = ring.handOff();

        if (size > capacity) {
            assertThat(offset).as(where).isEqualTo(OutgoingRing.HAND_OFF_FAILED);
            assertThat(ring.inError()).as(where).isFalse();
            assertThat(clients.thresholds).as(where).isEmpty();
            clients.assertIntact(ring);
            return;
        }
        boolean fits = size <= capacity - phase;
        assertThat(offset).as(where).isEqualTo(fits ? lapStart + phase : lapStart + capacity);
        assertThat(read(ring, offset, size)).as(where).isEqualTo(body);
        long end = offset + size;
        long expectedThreshold = end - capacity;
        boolean raised = size > 0 && expectedThreshold > 0;
        assertThat(clients.thresholds).as(where)
                .isEqualTo(raised ? List.of(expectedThreshold) : List.of());
        if (before >= 0) {
            assertThat(clients.evicted.contains(before)).as(where).isEqualTo(!fits);
            assertThat(ring.isOverwritten(lapStart)).as(where).isEqualTo(!fits);
        }
        clients.assertIntact(ring);
    }

    @Test
    void evictsExactlyTheConnectionsBelowTheThreshold() {
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(SMALL, clients);
        int a = send(ring, clients, bytes("ab"));  // 0
        int b = send(ring, clients, bytes("cd"));  // 2
        int c = send(ring, clients, bytes("ef"));  // 4
        int d = send(ring, clients, bytes("g"));   // 6

        ring.stage(bytes("h"));                    // 7, ends at the physical end
        assertThat(clients.thresholds).isEmpty();
        ring.stage(bytes("i"));                    // no room: relocates to 8
        assertThat(ring.stageOffset()).isEqualTo(8);
        assertThat(clients.thresholds).containsExactly(2L);
        assertThat(clients.evicted).containsExactly(a);
        clients.assertIntact(ring);                // b, at exactly the threshold, is intact

        ring.stage(bytes("jk"));
        assertThat(clients.thresholds).containsExactly(2L, 4L);
        assertThat(clients.evicted).containsExactlyInAnyOrder(a, b);
        assertThat(ring.handOff()).isEqualTo(8);
        assertThat(read(ring, 8, 4)).isEqualTo(bytes("hijk"));
        assertThat(clients.offsets).containsOnlyKeys(c, d);
        clients.assertIntact(ring);
    }

    /**
     * The C original evicted below {@code newStageOffset + n - capacity} when it
     * relocated the stage, forgetting the {@code stageLength} moved bytes that
     * also land at index 0, so it overwrote unsent bytes of connections it kept.
     */
    @Test
    void relocationEvictsThePendingBytesTheMovedStageOverwrites() {
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(SMALL, clients);
        int a = send(ring, clients, bytes("abc"));   // [0, 3)
        int b = send(ring, clients, bytes("de"));    // [3, 5)
        ring.stage(bytes("fg"));                     // [5, 7)

        ring.stage(bytes("hi"));                     // relocates to 8; writes indices [0, 4)

        long cThreshold = 8 + 2 - SMALL;             // what the C original passed
        long movedThreshold = 8 + 2 + 2 - SMALL;
        assertThat(clients.offsets).isEmpty();
        assertThat(clients.evicted).containsExactlyInAnyOrder(a, b);
        assertThat(clients.thresholds).containsExactly(movedThreshold);
        assertThat(clients.evictedOffsets.get(b)).isGreaterThanOrEqualTo(cThreshold).isLessThan(movedThreshold);
        // b's byte at index 3 really was overwritten, by the last new byte.
        assertThat(ring.buffer().get(3)).isEqualTo((byte) 'i');
        assertThat(ring.isOverwritten(3)).isTrue();
        assertThat(ring.isOverwritten(4)).isFalse();
        assertThat(ring.handOff()).isEqualTo(8);
        assertThat(read(ring, 8, 4)).isEqualTo(bytes("fghi"));
    }

    @Test
    void relocationCopiesOverlappingRangesIntact() {
        for (int capacity : new int[] {7, 8, 16, 64}) {
            for (int phase = 1; phase < capacity; phase++) {
                for (int staged = 1; staged <= capacity - phase; staged++) {
                    int room = capacity - phase - staged;
                    for (int extra = room + 1; staged + extra <= capacity; extra++) {
                        Clients clients = new Clients();
                        OutgoingRing ring = new OutgoingRing(capacity, clients);
                        send(ring, clients, pattern(phase, 1));
                        byte[] first = pattern(staged, 2);
                        byte[] second = pattern(extra, 3);

                        ring.stage(first);
                        ring.stage(second);

                        String where = capacity + "/" + phase + "/" + staged + "/" + extra;
                        assertThat(ring.stageOffset()).as(where).isEqualTo(capacity);
                        byte[] expected = Arrays.copyOf(first, staged + extra);
                        System.arraycopy(second, 0, expected, staged, extra);
                        assertThat(read(ring, capacity, staged + extra)).as(where).isEqualTo(expected);
                        assertThat(clients.thresholds).as(where).containsExactly((long) staged + extra);
                        assertThat(clients.offsets).as(where).isEmpty();
                    }
                }
            }
        }
    }

    @Test
    void aMessageLargerThanTheRingFailsItsHandOff() {
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(SMALL, clients);
        int a = send(ring, clients, bytes("abc"));
        int thresholdsBefore = clients.thresholds.size();

        ring.stage(pattern(5, 0));
        ring.stage(pattern(4, 0));                 // 9 bytes in all
        assertThat(ring.inError()).isTrue();
        assertThat(ring.stageLength()).isEqualTo(5);
        ring.stage(bytes("x"));                    // ignored
        ring.stageDecimal(42);
        ByteBuffer src = ByteBuffer.wrap(bytes("yz"));
        ring.stage(src);
        assertThat(src.remaining()).isEqualTo(2);
        ByteBuffer view = ring.reserve(2);
        assertThat(view.remaining()).isZero();
        ring.commit(2);                            // no-op in error
        assertThat(ring.stageLength()).isEqualTo(5);
        assertThat(clients.thresholds).hasSize(thresholdsBefore);

        assertThat(ring.handOff()).isEqualTo(OutgoingRing.HAND_OFF_FAILED);
        assertThat(ring.inError()).isFalse();
        assertThat(ring.stageLength()).isZero();
        assertThat(clients.offsets).containsOnlyKeys(a);

        ring.stage(pattern(SMALL + 1, 0));
        assertThat(ring.inError()).isTrue();
        ring.unstage();
        assertThat(ring.inError()).isFalse();
        assertThat(ring.stageLength()).isZero();
        ring.stage(bytes("ok"));
        assertThat(read(ring, ring.handOff(), 2)).isEqualTo(bytes("ok"));
        clients.assertIntact(ring);
    }

    @Test
    void unstageAndTruncateDropBytesWithoutEvicting() {
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(SMALL, clients);
        int a = send(ring, clients, bytes("abcdef"));   // [0, 6)

        ring.stage(bytes("hello"));                     // relocates to 8: evicts a
        assertThat(clients.evicted).containsExactly(a);
        ring.truncate(2);
        assertThatThrownBy(() -> ring.truncate(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.stageLength()).isEqualTo(2);
        long offset = ring.handOff();
        assertThat(offset).isEqualTo(8);
        int b = clients.connect(offset, bytes("he"));

        ring.stage(bytes("xyz"));                       // [10, 13): below the reserved end 13
        ring.unstage();
        assertThat(ring.stageOffset()).isEqualTo(10);
        ring.stage(bytes("uvw"));
        assertThat(clients.thresholds).containsExactly(5L); // only the first reservation evicted
        assertThat(ring.handOff()).isEqualTo(10);
        assertThat(clients.offsets).containsOnlyKeys(b);
        assertThat(ring.stagedBytesTotal()).isEqualTo(6 + 5 + 3 + 3);
        clients.assertIntact(ring);
    }

    @Test
    void reserveAndCommitWriteInPlace() {
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(SMALL, clients);
        int a = send(ring, clients, bytes("abcdef"));   // [0, 6)

        ByteBuffer view = ring.reserve(2);              // in place, [6, 8)
        assertThat(view.position()).isEqualTo(6);
        assertThat(view.limit()).isEqualTo(8);
        view.put((byte) 'X');
        ring.commit(1);
        assertThat(ring.stageLength()).isEqualTo(1);
        assertThat(clients.thresholds).isEmpty();

        view = ring.reserve(4);                         // no room: relocates, evicts for all 4
        assertThat(ring.stageOffset()).isEqualTo(8);
        assertThat(view.position()).isEqualTo(1);
        assertThat(view.limit()).isEqualTo(5);
        assertThat(clients.thresholds).containsExactly(5L);
        assertThat(clients.evicted).containsExactly(a);
        view.put((byte) 'Y').put((byte) 'Z');
        assertThatThrownBy(() -> ring.commit(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.commit(-1)).isInstanceOf(IllegalArgumentException.class);
        ring.commit(2);
        assertThat(ring.stageLength()).isEqualTo(3);
        assertThatThrownBy(() -> ring.commit(1)).isInstanceOf(IllegalArgumentException.class);
        ring.commit(0);

        ring.reserve(3);
        ring.stage(bytes("!"));                         // cancels the reservation
        assertThatThrownBy(() -> ring.commit(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.handOff()).isEqualTo(8);
        assertThat(read(ring, 8, 4)).isEqualTo(bytes("XYZ!"));
        assertThat(ring.stagedBytesTotal()).isEqualTo(6 + 1 + 2 + 1);
        // The 3-byte reservation at [11, 14) raised the reserved end to 14, though unused.
        assertThat(clients.thresholds).containsExactly(5L, 6L);
        assertThat(ring.isOverwritten(5)).isTrue();
        assertThat(ring.isOverwritten(6)).isFalse();
        ring.reserve(0);
        ring.commit(0);
        assertThat(ring.handOff()).isEqualTo(12);
    }

    @Test
    void stagesUtf8LikeTheJdk() {
        String[] samples = {
            "", "plain ascii", "caf\u00e9", "\u20ac 5", "\u65e5\u672c\u8a9e", "\uD83D\uDE00 grin",
            "mix \u00e9\u20ac\uD83D\uDE00\u007f\u0080\u07ff\u0800\uffff",
            "lone high at end \uD83D", "\uDE00 lone low", "reversed \uDE00\uD83D", "\uD83D\uD83D\uDE00",
            "\uDBFF\uDFFF max code point",
        };
        for (String sample : samples) {
            OutgoingRing ring = new OutgoingRing(64, t -> { });
            ring.stage(bytes("x"));                      // start off index 0
            ring.handOff();
            ring.stageUtf8(new StringBuilder(sample));
            byte[] expected = sample.getBytes(UTF_8);
            assertThat(ring.stageLength()).as(sample).isEqualTo(expected.length);
            assertThat(read(ring, ring.handOff(), expected.length)).as(sample).isEqualTo(expected);
        }
    }

    @Test
    void stagesAsciiReplacingWhatItCannotEncode() {
        OutgoingRing ring = new OutgoingRing(16, t -> { });
        ring.stageAscii("h\u00e9llo\uD83D\uDE00");
        assertThat(read(ring, ring.handOff(), 7)).isEqualTo(bytes("h?llo??"));
    }

    @Test
    void stagesDecimalsLikeLongToString() {
        long[] values = {0, 7, -7, 9, 10, -10, 99, 100, 123_456_789, -1, Integer.MIN_VALUE, Integer.MAX_VALUE,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1_000_000_000_000_000_000L};
        OutgoingRing ring = new OutgoingRing(32, t -> { });
        for (long value : values) {
            ring.stageDecimal(value);
            byte[] expected = bytes(Long.toString(value));
            assertThat(read(ring, ring.handOff(), expected.length)).as("%d", value).isEqualTo(expected);
        }
    }

    @Test
    void stagesFormattedText() {
        OutgoingRing ring = new OutgoingRing(64, t -> { });
        ring.stageFormat("%s=%d \u20ac", "n", 42);
        byte[] expected = "n=42 \u20ac".getBytes(UTF_8);
        assertThat(read(ring, ring.handOff(), expected.length)).isEqualTo(expected);
    }

    @Test
    void stagesByteBuffersAndConsumesThem() {
        OutgoingRing ring = new OutgoingRing(SMALL, t -> { });
        ByteBuffer heap = ByteBuffer.wrap(bytes("xxabcx"));
        heap.position(2).limit(5);
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(bytes("def")).flip();

        ring.stage(heap);
        ring.stage(direct);
        ring.stage(bytes("--gh--"), 2, 2);

        assertThat(heap.position()).isEqualTo(5);
        assertThat(direct.hasRemaining()).isFalse();
        assertThat(read(ring, ring.handOff(), 8)).isEqualTo(bytes("abcdefgh"));
        assertThatThrownBy(() -> ring.stage(bytes("ab"), 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void rejectsStagingFromAnEvictionCallback() {
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(SMALL, clients);
        send(ring, clients, bytes("abcdef"));
        List<Runnable> attempts = List.of(
                () -> ring.stage(bytes("x")), () -> ring.stageAscii("x"), () -> ring.stageUtf8("x"),
                () -> ring.stageDecimal(1), () -> ring.stage(ByteBuffer.allocate(1)), () -> ring.reserve(1),
                () -> ring.commit(0), () -> ring.unstage(), () -> ring.truncate(0), ring::handOff);
        List<Throwable> failures = new ArrayList<>();
        clients.onEvict = threshold -> {
            for (Runnable attempt : attempts) {
                try {
                    attempt.run();
                } catch (IllegalStateException e) {
                    failures.add(e);
                }
            }
            assertThat(ring.isOverwritten(0)).isFalse(); // reading is fine; nothing written yet
        };

        ring.stage(bytes("ghijk"));

        assertThat(failures).hasSize(attempts.size())
                .allSatisfy(e -> assertThat(e).hasMessageContaining("during eviction"));
        assertThat(clients.thresholds).containsExactly(5L);
        assertThat(ring.stageLength()).isEqualTo(5);
        assertThat(read(ring, ring.handOff(), 5)).isEqualTo(bytes("ghijk"));
    }

    @Test
    void anEvictorThatThrowsLeavesTheRingUsable() {
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(SMALL, clients);
        send(ring, clients, bytes("abcdef"));
        clients.onEvict = threshold -> {
            throw new IllegalArgumentException("boom");
        };

        assertThatThrownBy(() -> ring.stage(bytes("ghijk"))).hasMessage("boom");
        assertThat(ring.stageLength()).isZero();
        assertThat(ring.isOverwritten(0)).isFalse();

        clients.onEvict = threshold -> { };
        ring.stage(bytes("ghijk"));
        assertThat(read(ring, ring.handOff(), 5)).isEqualTo(bytes("ghijk"));
    }

    @Test
    void keepsEveryUnevictedConnectionIntactOverARandomLongRun() {
        runRandomly(64, 200_000, 0xC0FFEE);
        runRandomly(7, 50_000, 0xBEEF);
    }

    /**
     * Mixes every staging call with hand-offs; the model of the stage checks
     * each handed-off message, and after every step the test asserts that the
     * evicted connections are exactly those below the reserved end minus the
     * capacity, and that every other one is intact.
     */
    private static void runRandomly(int capacity, int steps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Clients clients = new Clients();
        OutgoingRing ring = new OutgoingRing(capacity, clients);
        ByteArrayOutputStream staged = new ByteArrayOutputStream();
        long reservedEnd = 0;
        int handOffs = 0;
        for (int step = 0; step < steps; step++) {
            int thresholdsBefore = clients.thresholds.size();
            long lastThreshold = thresholdsBefore == 0 ? 0 : clients.thresholds.get(thresholdsBefore - 1);
            int uncommitted = 0;
            int op = random.nextInt(100);
            if (op < 35) {
                int length = random.nextInt(100) < 3 ? capacity - ring.stageLength() + 1 : random.nextInt(capacity / 2 + 1);
                byte[] chunk = pattern(length, step);
                ring.stage(chunk);
                if (!ring.inError()) {
                    staged.write(chunk, 0, length);
                }
            } else if (op < 45) {
                int n = random.nextInt(capacity / 2 + 1);
                boolean wasInError = ring.inError();
                ByteBuffer view = ring.reserve(n);
                int written = random.nextInt(n + 1);
                if (ring.inError()) {
                    assertThat(view.remaining()).isZero();
                } else {
                    assertThat(wasInError).isFalse();
                    byte[] chunk = pattern(written, step);
                    view.put(chunk);
                    ring.commit(written);
                    staged.write(chunk, 0, written);
                    uncommitted = n - written;
                }
            } else if (op < 50) {
                long value = random.nextLong();
                ring.stageDecimal(value);
                if (!ring.inError()) {
                    staged.writeBytes(bytes(Long.toString(value)));
                }
            } else if (op < 53) {
                int length = random.nextInt(ring.stageLength() + 1);
                ring.truncate(length);
                if (!ring.inError()) {
                    byte[] kept = Arrays.copyOf(staged.toByteArray(), length);
                    staged.reset();
                    staged.writeBytes(kept);
                }
            } else if (op < 56) {
                ring.unstage();
                staged.reset();
            } else if (op < 85) {
                boolean wasInError = ring.inError();
                long stageOffset = ring.stageOffset();
                long offset = ring.handOff();
                byte[] message = staged.toByteArray();
                staged.reset();
                if (wasInError) {
                    assertThat(offset).isEqualTo(OutgoingRing.HAND_OFF_FAILED);
                } else {
                    assertThat(offset).isEqualTo(stageOffset);
                    assertThat(ring.isOverwritten(offset)).isFalse();
                    assertThat(read(ring, offset, message.length)).isEqualTo(message);
                    clients.connect(offset, message);
                    handOffs++;
                }
            } else if (!clients.offsets.isEmpty()) {
                // The oldest connection finishes sending.
                clients.finish(clients.offsets.keySet().iterator().next());
            }

            if (!ring.inError()) {
                assertThat(ring.stageLength()).isEqualTo(staged.size());
                assertThat(ring.index(ring.stageOffset()) + ring.stageLength()).isLessThanOrEqualTo(capacity);
            }
            reservedEnd = Math.max(reservedEnd, ring.stageOffset() + ring.stageLength() + uncommitted);
            long floor = reservedEnd - capacity;
            List<Long> newThresholds = clients.thresholds.subList(thresholdsBefore, clients.thresholds.size());
            assertThat(newThresholds.size()).isLessThanOrEqualTo(1);
            for (long threshold : newThresholds) {
                assertThat(threshold).isGreaterThan(lastThreshold).isPositive().isEqualTo(floor);
            }
            for (long offset : clients.offsets.values()) {
                assertThat(offset).isGreaterThanOrEqualTo(floor);
            }
            if (step % 16 == 0 || !newThresholds.isEmpty()) {
                for (long offset : clients.evictedOffsets.values()) {
                    assertThat(ring.isOverwritten(offset)).isTrue();
                }
                clients.evictedOffsets.clear();
            }
            clients.assertIntact(ring);
        }
        assertThat(handOffs).isGreaterThan(steps / 5);
        assertThat(clients.evicted).isNotEmpty();
    }

    @Test
    void stagingAndHandingOffDoNotAllocate() {
        int capacity = 4096;
        int connections = 64;
        OffsetHeap pending = new OffsetHeap(connections);
        OutgoingRing ring = new OutgoingRing(capacity, offset -> {
            while (!pending.isEmpty() && pending.minKey() < offset) {
                pending.remove(pending.minId());
            }
        });
        byte[] body = pattern(100, 1);
        String text = "caf\u00e9 \u20ac \uD83D\uDE00 ok";
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        int warmUp = 200_000;
        int measured = 100_000;
        runHotPath(ring, pending, body, text, warmUp);
        long before = threads.getCurrentThreadAllocatedBytes();
        runHotPath(ring, pending, body, text, measured);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat((double) allocated / measured).as("bytes allocated per operation").isLessThan(1.0);
        assertThat(ring.stagedBytesTotal()).isPositive();
    }

    private static void runHotPath(OutgoingRing ring, OffsetHeap pending, byte[] body, String text, int iterations) {
        for (int i = 0; i < iterations; i++) {
            ring.stage(body, 0, 1 + i % body.length);
            ring.stageUtf8(text);
            ring.stageDecimal(-i * 1_000_003L);
            ByteBuffer view = ring.reserve(16);
            view.put((byte) '\r').put((byte) '\n');
            ring.commit(2);
            if (i % 7 == 0) {
                ring.truncate(ring.stageLength() / 2);
            }
            long offset = ring.handOff();
            pending.addOrUpdate(i % pending.capacity(), offset);
        }
    }
}
