package dev.ringhttp.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where every buffer of a server comes from: its whole size is reserved when the server is built,
 * but a page of it becomes memory only when the server first writes to it.
 *
 * <p>{@link ByteBuffer#allocateDirect} zeroes what it allocates, which makes every page resident
 * at once: a server with room for a thousand connections would hold all their buffers in memory
 * before the first one arrives. Instead the arena maps a temporary file privately
 * ({@code MAP_PRIVATE}) and deletes it: the file is sparse and never written (a write to a private
 * mapping copies the page into the process's own memory), so untouched pages cost nothing but
 * address space, read as zeros, and nothing ever goes to disk. The buffers are direct, like those
 * of {@code allocateDirect}, but outside the JVM's direct-memory limit ({@code
 * -XX:MaxDirectMemorySize}), which a heap of 128 MiB would otherwise set below the defaults.
 *
 * <p>When no temporary file can be mapped (no writable temporary directory, say), the arena falls
 * back to {@code allocateDirect}: the same buffers, resident from the start and counted against
 * the direct-memory limit, which the server then checks first ({@link DirectMemoryLimit}).
 *
 * <p>Buffers are carved in order, unaligned, from mappings of at most {@link #MAX_MAPPING} bytes
 * each (a buffer never spans two); the arena maps exactly the bytes it was sized for unless a
 * buffer does not fit the rest of a mapping. Loop construction only; not thread-safe.
 */
final class BufferArena {

    private static final System.Logger LOG = System.getLogger(BufferArena.class.getName());
    /** The largest mapping: a ByteBuffer's capacity is an int. */
    static final int MAX_MAPPING = 1 << 30;

    private final FileChannel file;
    private long unmapped;
    private long fileOffset;
    private ByteBuffer mapping;

    private BufferArena(FileChannel file, long bytes) {
        this.file = file;
        this.unmapped = bytes;
    }

    /**
     * An arena for {@code bytes} of buffers in total: mapped if a temporary file can be, else one
     * that allocates direct buffers ({@link #isMapped()} tells which).
     */
    static BufferArena reserve(long bytes) {
        try {
            Path path = Files.createTempFile("ringhttp-buffers-", ".map");
            // On Unix the name goes at once, so no file is left behind whatever happens to the JVM.
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            return new BufferArena(channel, bytes);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot map buffers from a temporary file (" + e
                    + "); allocating them as direct buffers, all resident from the start");
            return new BufferArena(null, bytes);
        }
    }

    /** An arena that allocates direct buffers, as {@link #reserve} falls back to. */
    static BufferArena direct() {
        return new BufferArena(null, 0);
    }

    /** Whether buffers come from the private mapping, committed as they are first written. */
    boolean isMapped() {
        return file != null;
    }

    /** A new buffer of {@code size} bytes, all zeros, position 0, limit and capacity {@code size}. */
    ByteBuffer take(int size) {
        if (file == null) {
            return ByteBuffer.allocateDirect(size);
        }
        if (mapping == null || mapping.remaining() < size) {
            mapping = map(size);
        }
        ByteBuffer b = mapping.slice(mapping.position(), size);
        mapping.position(mapping.position() + size);
        return b;
    }

    /** Maps the next part of the file: what is left of the reservation, within one mapping, and at least {@code size}. */
    private ByteBuffer map(int size) {
        long length = Math.max(size, Math.min(unmapped, MAX_MAPPING));
        try {
            // The channel may close once mapped: a mapping outlives its channel and its file's name.
            ByteBuffer m = file.map(FileChannel.MapMode.PRIVATE, fileOffset, length);
            fileOffset += length;
            unmapped = Math.max(0, unmapped - length);
            return m;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot map " + length + " bytes of buffers", e);
        }
    }

    /** Closes the file; the mappings stay until their buffers are garbage. */
    void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the buffer file failed: " + e);
            }
        }
    }
}
