package dev.ringhttp.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ringhttp.core.ring.OutgoingRing;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the {@link OutgoingRing}'s stage / reserve-commit / truncate / unstage / hand-off /
 * evict sequence on small capacities, against a model.
 *
 * <p>The "server" here keeps one pending entry per handed-off message receiver (a broadcast
 * adds several at the same offset), finishes some of them at random (they leave the eviction
 * order), and evicts in the {@link dev.ringhttp.core.ring.Evictor} every entry strictly below the
 * threshold. The model applies DESIGN.md's reservation rule on its own copy of the stage offsets.
 *
 * <p>Invariants: no exception (no read or write outside the buffer); eviction thresholds are
 * positive and strictly increase; after every operation the entries evicted are exactly those
 * the model says the reserved bytes overwrite; every entry still pending has its bytes intact in
 * the ring and is not {@link OutgoingRing#isOverwritten overwritten}; the staged bytes, offset and
 * length match the model; a hand-off fails exactly when the model's stage is in error.
 */
class OutgoingRingFuzzTest {

    /** One receiver's pending message. */
    private record Pending(int id, long offset, byte[] bytes) {
    }

    @FuzzTest(maxDuration = "60s")
    void stageHandOffEvict(FuzzedDataProvider data) {
        int capacity = data.consumeInt(1, 40);
        List<Pending> pending = new ArrayList<>();
        Set<Integer> evicted = new HashSet<>();
        long[] lastThreshold = {0};
        OutgoingRing ring = new OutgoingRing(capacity, threshold -> {
            assertThat(threshold).isPositive().isGreaterThan(lastThreshold[0]);
            lastThreshold[0] = threshold;
            pending.removeIf(p -> {
                if (p.offset() < threshold) {
                    evicted.add(p.id());
                    return true;
                }
                return false;
            });
        });
        Model model = new Model(capacity);
        int nextId = 0;
        int ops = data.consumeInt(1, 200);
        for (int op = 0; op < ops && data.remainingBytes() > 0; op++) {
            switch (data.consumeInt(0, 7)) {
                case 0, 1 -> {
                    byte[] bytes = data.consumeBytes(data.consumeInt(0, capacity + 2));
                    model.reserve(bytes.length, pending);
                    ring.stage(bytes);
                    model.append(bytes, bytes.length);
                }
                case 2 -> {
                    int n = data.consumeInt(0, capacity + 2);
                    model.reserve(n, pending);
                    ByteBuffer view = ring.reserve(n);
                    assertThat(view.remaining()).isEqualTo(model.inError ? 0 : n);
                    if (!model.inError) {
                        assertThat(view.position()).isEqualTo(ring.index(model.offset + model.stage.size()));
                    }
                    int written = data.consumeInt(0, view.remaining());
                    byte[] bytes = data.consumeBytes(written);
                    written = bytes.length;
                    view.put(bytes);
                    ring.commit(written);
                    model.append(bytes, written);
                }
                case 3 -> {
                    long v = data.consumeLong();
                    byte[] bytes = Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    model.reserve(bytes.length, pending);
                    ring.stageDecimal(v);
                    model.append(bytes, bytes.length);
                }
                case 4 -> {
                    int length = data.consumeInt(0, ring.stageLength());
                    ring.truncate(length);
                    if (!model.inError) {
                        byte[] kept = Arrays.copyOf(model.stage.toByteArray(), length);
                        model.stage.reset();
                        model.stage.writeBytes(kept);
                    } else {
                        model.frozenLength = length;
                    }
                }
                case 5 -> {
                    ring.unstage();
                    model.stage.reset();
                    model.inError = false;
                    model.frozenLength = 0;
                }
                case 6 -> {
                    long offset = ring.handOff();
                    if (model.inError) {
                        assertThat(offset).isEqualTo(OutgoingRing.HAND_OFF_FAILED);
                        model.inError = false;
                        model.frozenLength = 0;
                    } else {
                        assertThat(offset).isEqualTo(model.offset);
                        byte[] bytes = model.stage.toByteArray();
                        model.offset += bytes.length;
                        int receivers = bytes.length == 0 ? 0 : data.consumeInt(1, 3);
                        for (int r = 0; r < receivers; r++) {
                            pending.add(new Pending(nextId++, offset, bytes));
                        }
                    }
                    model.stage.reset();
                }
                default -> {
                    if (!pending.isEmpty()) {
                        pending.remove(data.consumeInt(0, pending.size() - 1)); // sent completely
                    }
                }
            }
            assertThat(evicted).as("evicted entries").isEqualTo(model.expectedEvicted);
            assertThat(ring.inError()).isEqualTo(model.inError);
            if (!model.inError) {
                assertThat(ring.stageOffset()).isEqualTo(model.offset);
                assertThat(ring.stageLength()).isEqualTo(model.stage.size());
                assertThat(read(ring, model.offset, model.stage.size())).isEqualTo(model.stage.toByteArray());
            }
            for (Pending p : pending) {
                assertThat(ring.isOverwritten(p.offset())).isFalse();
                assertThat(read(ring, p.offset(), p.bytes().length)).as("bytes of pending entry " + p.id())
                        .isEqualTo(p.bytes());
            }
        }
    }

    private static byte[] read(OutgoingRing ring, long offset, int length) {
        ByteBuffer view = ring.buffer().duplicate();
        ring.view(view, offset, length);
        byte[] b = new byte[length];
        view.get(b);
        return b;
    }

    /** DESIGN.md's reservation rule, on the model's own stage offset and length. */
    private static final class Model {
        final int capacity;
        long offset;
        final ByteArrayOutputStream stage = new ByteArrayOutputStream();
        boolean inError;
        int frozenLength;
        long reservedEnd;
        final Set<Integer> expectedEvicted = new HashSet<>();

        Model(int capacity) {
            this.capacity = capacity;
        }

        /** Predicts a reservation of {@code n} bytes: where the stage goes and who is overwritten. */
        void reserve(int n, List<Pending> pending) {
            if (inError) {
                return;
            }
            int length = stage.size();
            long end = offset + length;
            long endIndex = end % capacity;
            long room = endIndex == 0 && length > 0 ? 0 : capacity - endIndex;
            if (n <= room) {
                raise(end + n, pending);
            } else if ((long) length + n > capacity) {
                inError = true;
                frozenLength = length;
            } else {
                long moved = end + room; // the next multiple of the capacity
                raise(moved + length + n, pending);
                offset = moved;
            }
        }

        private void raise(long end, List<Pending> pending) {
            if (end <= reservedEnd) {
                return;
            }
            reservedEnd = end;
            for (Pending p : pending) {
                if (p.offset() < end - capacity) {
                    expectedEvicted.add(p.id());
                }
            }
        }

        void append(byte[] bytes, int n) {
            if (!inError) {
                stage.write(bytes, 0, n);
            }
        }
    }
}
