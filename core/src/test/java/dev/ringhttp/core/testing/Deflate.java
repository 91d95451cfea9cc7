package dev.ringhttp.core.testing;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * permessage-deflate (RFC 7692) as a client does it, each message with a fresh context: what the
 * tests send, and how they read what the server sent. A message is raw DEFLATE ended by a sync
 * flush, without the flush's last four bytes {@code 00 00 FF FF} (section 7.2.1).
 */
public final class Deflate {

    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private Deflate() {
    }

    /** {@code message} compressed as a client sends it. */
    public static byte[] compress(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        deflater.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - TAIL.length);
    }

    /**
     * The message a compressed payload stands for, inflated with a context of its own: a payload
     * that needed an earlier message's context (context takeover) fails here.
     */
    public static byte[] inflate(byte[] payload) {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = Arrays.copyOf(payload, payload.length + TAIL.length);
            System.arraycopy(TAIL, 0, input, payload.length, TAIL.length);
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            while (!inflater.needsInput()) {
                int n = inflater.inflate(chunk);
                if (n == 0) {
                    break; // stuck (a dictionary wanted, the stream ended): the check below reports it
                }
                out.write(chunk, 0, n);
            }
            if (inflater.getRemaining() != 0) {
                throw new AssertionError("a compressed message left " + inflater.getRemaining() + " bytes unread");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new AssertionError("not a permessage-deflate message without context takeover", e);
        } finally {
            inflater.end();
        }
    }
}
