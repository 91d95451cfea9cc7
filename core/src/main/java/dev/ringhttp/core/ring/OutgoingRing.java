package dev.ringhttp.core.ring;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One circular direct buffer into which outgoing HTTP bodies and WebSocket
 * messages are staged and then handed off, so that any number of connections
 * can send a message from the same bytes.
 *
 * <p><b>Offsets.</b> Positions are logical offsets that only grow; the byte at
 * logical offset {@code o} lives at physical index {@code o % capacity}. The
 * capacity may be any positive int, not only a power of two.
 *
 * <p><b>Staging.</b> The message being built starts at {@link #stageOffset()}
 * and is {@link #stageLength()} bytes long. It is always physically contiguous:
 * when an append does not fit before the physical end of the buffer, the staged
 * bytes move to index 0 and the message restarts at the next multiple of the
 * capacity, leaving the tail unused. A message that cannot fit even then (longer
 * than the ring) puts the stage into the <i>error state</i>, in which staging
 * calls do nothing until {@link #handOff()} (which then fails) or
 * {@link #unstage()}.
 *
 * <p><b>Eviction.</b> The <i>reserved end</i> is the highest logical offset ever
 * reserved for a stage. Bytes at logical offset {@code o} count as overwritten
 * once the reserved end passes {@code o + capacity} ({@link #isOverwritten}).
 * Before any reservation raises the reserved end to {@code e}, the ring calls
 * {@link Evictor#evictBelow(long) evictBelow(e - capacity)}, so a connection is
 * closed exactly when the oldest byte it still has to send is about to be
 * overwritten, and never later. Thresholds that are not positive, or not above
 * the last one, could close nobody and are not passed on. A relocation counts
 * both the moved bytes and the new ones: the threshold covers everything
 * written at indices {@code [0, stageLength + n)}.
 *
 * <p><b>Re-entrancy.</b> While the evictor runs, the stage is half-way through a
 * reservation; closing a connection may run user callbacks, and any of them that
 * tries to stage, truncate, unstage or hand off gets an
 * {@link IllegalStateException}. Reading ({@link #isOverwritten}, accessors,
 * {@link #view}) is allowed.
 *
 * <p><b>Memory.</b> The constructor allocates the direct buffer and two
 * duplicates of it; no other method allocates, except
 * {@link #stageFormat(String, Object...)}.
 *
 * <p>Not thread-safe: the server confines each ring to its event-loop thread.
 */
public final class OutgoingRing {

    /** What {@link #handOff()} returns when the stage was in the error state. */
    public static final long HAND_OFF_FAILED = -1L;

    private static final String STAGED_DURING_EVICTION =
            "the outgoing ring cannot be staged from a close callback during eviction";

    /** What {@link #reserveIndex} returns when the stage is in the error state. */
    private static final int NO_ROOM = -1;

    /** Written for a char that ASCII cannot encode, and for an unpaired surrogate. */
    private static final byte REPLACEMENT = '?';

    private static final int ASCII_LIMIT = 0x80;
    private static final int TWO_BYTE_LIMIT = 0x800;
    private static final int TWO_BYTE_LEAD = 0xC0;
    private static final int THREE_BYTE_LEAD = 0xE0;
    private static final int FOUR_BYTE_LEAD = 0xF0;
    private static final int CONTINUATION = 0x80;
    private static final int CONTINUATION_BITS = 6;
    private static final int CONTINUATION_MASK = 0x3F;
    private static final int RADIX = 10;

    private final int capacity;
    private final Evictor evictor;
    /** Handed to the server; its position and limit are the server's business. */
    private final ByteBuffer buffer;
    /** Used only with absolute methods, so its position and limit never move. */
    private final ByteBuffer ring;
    /** The one view {@link #reserve(int)} hands out, reused. */
    private final ByteBuffer reserveView;

    private long stageOffset;
    private int stageLength;
    private boolean inError;
    /** Highest logical offset ever reserved; {@code reservedEnd - capacity} has been evicted below. */
    private long reservedEnd;
    /** Bytes {@link #commit(int)} may still add; 0 once any other call intervenes. */
    private int reservedLength;
    private long stagedBytesTotal;
    private boolean evicting;

    /**
     * @param capacity the ring's size in bytes, at least 1
     * @param evictor  closes the connections whose bytes are about to be overwritten
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public OutgoingRing(int capacity, Evictor evictor) {
        this(allocate(capacity), evictor);
    }

    /**
     * A ring over {@code buffer}, a direct buffer the server allocated for it: all of its
     * capacity, whatever its position and limit.
     *
     * @throws IllegalArgumentException if it is not direct or holds no byte
     */
    public OutgoingRing(ByteBuffer buffer, Evictor evictor) {
        if (!buffer.isDirect() || buffer.capacity() < 1) {
            throw new IllegalArgumentException("the ring needs a direct buffer of at least 1 byte: " + buffer);
        }
        this.capacity = buffer.capacity();
        this.evictor = Objects.requireNonNull(evictor, "evictor");
        this.buffer = buffer.clear();
        this.ring = buffer.duplicate();
        this.reserveView = buffer.duplicate();
    }

    private static ByteBuffer allocate(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        return ByteBuffer.allocateDirect(capacity);
    }

    public int capacity() {
        return capacity;
    }

    /**
     * The direct buffer itself, for the server to duplicate into its own views;
     * its contents are only meaningful through offsets that are not
     * {@link #isOverwritten overwritten}.
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * The physical index of logical {@code offset}.
     *
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public int index(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("negative ring offset: " + offset);
        }
        return (int) (offset % capacity);
    }

    /** Logical offset of the first byte of the staged message. */
    public long stageOffset() {
        return stageOffset;
    }

    /** Bytes staged so far; kept, but frozen, while the stage is in error. */
    public int stageLength() {
        return stageLength;
    }

    /** Whether the staged message outgrew the ring; see the class comment. */
    public boolean inError() {
        return inError;
    }

    /**
     * Whether the evictor is running: a reservation is half done, and what the evictor's
     * callbacks stage would land inside it.
     */
    public boolean isEvicting() {
        return evicting;
    }

    /** Bytes ever added to stages, including those later truncated or unstaged. */
    public long stagedBytesTotal() {
        return stagedBytesTotal;
    }

    /** Bytes of memory the ring holds: its capacity. */
    public long footprintBytes() {
        return capacity;
    }

    /**
     * Whether the bytes at logical {@code offset} may have been overwritten:
     * the reserved end has passed {@code offset + capacity}. A handed-off
     * message is intact while this is false for its offset; the evictor has
     * been called for every offset for which it is true.
     */
    public boolean isOverwritten(long offset) {
        return offset < reservedEnd - capacity;
    }

    /**
     * Points {@code view}, a caller-owned duplicate of {@link #buffer()}, at the
     * {@code length} bytes starting at logical {@code offset}. Sets the limit
     * before the position, so the previous window never gets in the way.
     *
     * @throws IllegalArgumentException if {@code view} is not the ring's size or
     *                                  the region would cross the physical end
     */
    public void view(ByteBuffer view, long offset, int length) {
        if (view.capacity() != capacity) {
            throw new IllegalArgumentException("view capacity " + view.capacity() + " is not the ring's " + capacity);
        }
        int at = index(offset);
        if (length < 0 || length > capacity - at) {
            throw new IllegalArgumentException("region of " + length + " bytes at index " + at
                    + " does not fit in a ring of " + capacity);
        }
        view.limit(at + length);
        view.position(at);
    }

    /**
     * A copy of the staged bytes, or null while the stage is in error. The stage stays as it is. Allocates:
     * for handing a message to another loop's ring.
     */
    public byte[] copyStage() {
        if (inError) {
            return null;
        }
        byte[] copy = new byte[stageLength];
        // The stage is contiguous: a reservation that would cross the physical end moves it to index 0.
        buffer.get(index(stageOffset), copy, 0, stageLength);
        return copy;
    }

    /** Appends all of {@code src}. */
    public void stage(byte[] src) {
        stage(src, 0, src.length);
    }

    /** Appends {@code src[off, off + len)}. */
    public void stage(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        int at = reserveIndex(len);
        if (at == NO_ROOM) {
            return;
        }
        ring.put(at, src, off, len);
        grow(len);
    }

    /**
     * Appends the remaining bytes of {@code src} and advances its position past
     * them; in the error state {@code src} is left untouched.
     */
    public void stage(ByteBuffer src) {
        int len = src.remaining();
        int at = reserveIndex(len);
        if (at == NO_ROOM) {
            return;
        }
        int from = src.position();
        ring.put(at, src, from, len);
        src.position(from + len);
        grow(len);
    }

    /** Appends one byte per char; a char that is not ASCII becomes {@code '?'}. */
    public void stageAscii(CharSequence s) {
        int len = s.length();
        int at = reserveIndex(len);
        if (at == NO_ROOM) {
            return;
        }
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            ring.put(at + i, c < ASCII_LIMIT ? (byte) c : REPLACEMENT);
        }
        grow(len);
    }

    /**
     * Appends {@code s} encoded as UTF-8, as {@link String#getBytes} would with
     * {@code UTF_8}: a surrogate pair becomes one 4-byte sequence and an
     * unpaired surrogate becomes {@code '?'}. Two passes, one to size the
     * reservation exactly and one to encode, so {@code s} must not change in
     * between (for instance from an eviction callback).
     */
    public void stageUtf8(CharSequence s) {
        int at = reserveIndex(utf8Length(s));
        if (at == NO_ROOM) {
            return;
        }
        int end = encodeUtf8(s, at);
        grow(end - at);
    }

    /** Appends {@code v} in decimal, with a leading {@code '-'} if negative. */
    public void stageDecimal(long v) {
        // Work on the non-positive magnitude: it also holds Long.MIN_VALUE.
        long negative = v < 0 ? v : -v;
        int digits = 1;
        for (long rest = negative; rest <= -RADIX; rest /= RADIX) {
            digits++;
        }
        int len = v < 0 ? digits + 1 : digits;
        int at = reserveIndex(len);
        if (at == NO_ROOM) {
            return;
        }
        if (v < 0) {
            ring.put(at, (byte) '-');
        }
        int p = at + len;
        long rest = negative;
        do {
            ring.put(--p, (byte) ('0' - rest % RADIX));
            rest /= RADIX;
        } while (rest != 0);
        grow(len);
    }

    /**
     * Appends {@link String#format(String, Object...)} encoded as UTF-8.
     * Allocates the formatted string: not for hot paths.
     */
    public void stageFormat(String format, Object... args) {
        stageUtf8(String.format(format, args));
    }

    /**
     * Reserves {@code n} bytes at the end of the stage for the caller to write
     * in place, and returns the ring's one reserve view: its position is the
     * physical index of the reserved space and its limit {@code n} bytes
     * further. Eviction happens now, for all {@code n} bytes. The view is only
     * valid until the next call on the ring; write with relative puts, then
     * {@link #commit(int)} how many bytes were written. In the error state the
     * view has no room (position equals limit).
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public ByteBuffer reserve(int n) {
        int at = reserveIndex(n);
        if (at == NO_ROOM) {
            reserveView.position(0);
            reserveView.limit(0);
            return reserveView;
        }
        reserveView.limit(at + n);
        reserveView.position(at);
        reservedLength = n;
        return reserveView;
    }

    /**
     * Adds {@code written} bytes, written through the view of the last
     * {@link #reserve(int)}, to the stage. Any other staging call in between
     * cancels the reservation, after which only {@code commit(0)} is valid. In
     * the error state this does nothing.
     *
     * @throws IllegalArgumentException if {@code written} is negative or more
     *                                  than was reserved
     */
    public void commit(int written) {
        requireNotEvicting();
        if (written < 0) {
            throw new IllegalArgumentException("negative commit: " + written);
        }
        if (inError) {
            reservedLength = 0;
            return;
        }
        if (written > reservedLength) {
            throw new IllegalArgumentException("commit of " + written + " bytes exceeds the "
                    + reservedLength + " reserved");
        }
        reservedLength = 0;
        grow(written);
    }

    /** Drops the staged bytes and clears the error state; evicts nobody. */
    public void unstage() {
        requireNotEvicting();
        stageLength = 0;
        inError = false;
        reservedLength = 0;
    }

    /**
     * Shrinks the staged message to its first {@code length} bytes; the error
     * state, if any, stays.
     *
     * @throws IllegalArgumentException unless {@code 0 <= length <= stageLength()}
     */
    public void truncate(int length) {
        requireNotEvicting();
        if (length < 0 || length > stageLength) {
            throw new IllegalArgumentException("cannot truncate " + stageLength + " staged bytes to " + length);
        }
        stageLength = length;
        reservedLength = 0;
    }

    /**
     * Ends the staged message, which may be empty, and starts the next one right
     * after it.
     *
     * @return the logical offset of the message, or {@link #HAND_OFF_FAILED} if
     *         the stage was in error, in which case the error and the staged
     *         bytes are dropped
     */
    public long handOff() {
        requireNotEvicting();
        reservedLength = 0;
        if (inError) {
            inError = false;
            stageLength = 0;
            return HAND_OFF_FAILED;
        }
        long offset = stageOffset;
        stageOffset += stageLength;
        stageLength = 0;
        return offset;
    }

    /**
     * Makes room for {@code n} more contiguous bytes at the end of the stage,
     * relocating the stage to index 0 if they do not fit before the physical
     * end, and evicting whoever those bytes overwrite.
     *
     * @return the physical index at which to write the {@code n} bytes, or
     *         {@link #NO_ROOM} if the stage is, or now enters, the error state
     */
    private int reserveIndex(long n) {
        requireNotEvicting();
        if (n < 0) {
            throw new IllegalArgumentException("negative reservation: " + n);
        }
        reservedLength = 0;
        if (inError) {
            return NO_ROOM;
        }
        long end = stageOffset + stageLength;
        int endIndex = index(end);
        // A non-empty stage ending at index 0 ends at the physical end: no room left.
        int room = endIndex == 0 && stageLength > 0 ? 0 : capacity - endIndex;
        if (n <= room) {
            reserveUpTo(end + n);
            return endIndex;
        }
        if (stageLength + n > capacity) {
            inError = true;
            return NO_ROOM;
        }
        long relocated = end + room;
        // The moved bytes land on [0, stageLength) too: evict for them, not only for n.
        reserveUpTo(relocated + stageLength + n);
        if (stageLength > 0) {
            // Destination 0 is below the source, and the bulk put copies as if
            // through an intermediate buffer, so overlapping ranges are safe.
            ring.put(0, ring, index(stageOffset), stageLength);
        }
        stageOffset = relocated;
        return stageLength;
    }

    /** Raises the reserved end to {@code end}, evicting first what that overwrites. */
    private void reserveUpTo(long end) {
        if (end <= reservedEnd) {
            return;
        }
        long threshold = end - capacity;
        if (threshold > 0) {
            evicting = true;
            try {
                evictor.evictBelow(threshold);
            } finally {
                evicting = false;
            }
        }
        reservedEnd = end;
    }

    private void grow(int n) {
        stageLength += n;
        stagedBytesTotal += n;
    }

    private void requireNotEvicting() {
        if (evicting) {
            throw new IllegalStateException(STAGED_DURING_EVICTION);
        }
    }

    /** Exact UTF-8 length of {@code s}, counting an unpaired surrogate as one byte. */
    private static long utf8Length(CharSequence s) {
        int len = s.length();
        long bytes = len;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < ASCII_LIMIT) {
                continue;
            }
            if (c < TWO_BYTE_LIMIT) {
                bytes += 1;
            } else if (Character.isSurrogate(c)) {
                if (isPairAt(s, i, len)) {
                    bytes += 2; // 4 bytes for two chars
                    i++;
                }
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** Encodes {@code s} at physical index {@code at}; returns the index after the last byte. */
    private int encodeUtf8(CharSequence s, int at) {
        int len = s.length();
        int p = at;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < ASCII_LIMIT) {
                ring.put(p++, (byte) c);
            } else if (c < TWO_BYTE_LIMIT) {
                ring.put(p++, (byte) (TWO_BYTE_LEAD | c >>> CONTINUATION_BITS));
                ring.put(p++, continuation(c, 0));
            } else if (Character.isSurrogate(c)) {
                if (isPairAt(s, i, len)) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    ring.put(p++, (byte) (FOUR_BYTE_LEAD | cp >>> (3 * CONTINUATION_BITS)));
                    ring.put(p++, continuation(cp, 2));
                    ring.put(p++, continuation(cp, 1));
                    ring.put(p++, continuation(cp, 0));
                } else {
                    ring.put(p++, REPLACEMENT);
                }
            } else {
                ring.put(p++, (byte) (THREE_BYTE_LEAD | c >>> (2 * CONTINUATION_BITS)));
                ring.put(p++, continuation(c, 1));
                ring.put(p++, continuation(c, 0));
            }
        }
        return p;
    }

    /** Whether {@code s[i]} is a high surrogate followed by a low one. */
    private static boolean isPairAt(CharSequence s, int i, int len) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1));
    }

    /** The continuation byte holding bits {@code [6k, 6k + 6)} of {@code codePoint}. */
    private static byte continuation(int codePoint, int k) {
        return (byte) (CONTINUATION | (codePoint >>> (k * CONTINUATION_BITS)) & CONTINUATION_MASK);
    }
}
