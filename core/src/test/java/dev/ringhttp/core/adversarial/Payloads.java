package dev.ringhttp.core.adversarial;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic message contents. Every body, echo and broadcast is derived from a key (a connection
 * tag or a broadcast source) and a sequence number, so a receiver can regenerate exactly what it must
 * get and compare byte for byte: a leaked, shifted, truncated or foreign byte is always noticed.
 */
final class Payloads {

    private Payloads() {
    }

    /** A minimal GET request for {@code path}. */
    static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code length} bytes for (key, seq): lower-case ASCII (valid UTF-8 text), or any byte values. */
    static byte[] filler(String key, long seq, int length, boolean ascii) {
        SplittableRandom r = new SplittableRandom(key.hashCode() * 0x9E3779B97F4A7C15L ^ seq * 0xBF58476D1CE4E5B9L);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = ascii ? (byte) ('a' + r.nextInt(26)) : (byte) r.nextInt(256);
        }
        return out;
    }

    /**
     * A broadcast: {@code "B" + source + "|" + seq + "|" + length + "|"} then ASCII filler up to
     * {@code length} bytes in all (or just the header when it is longer). The prefix 'B' never starts an
     * echo, so a WebSocket client can tell broadcasts from echoes of its own messages.
     */
    static byte[] broadcast(String source, long seq, int length) {
        byte[] head = ("B" + source + "|" + seq + "|" + length + "|").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[Math.max(length, head.length)];
        System.arraycopy(head, 0, out, 0, head.length);
        byte[] fill = filler(source, seq, out.length - head.length, true);
        System.arraycopy(fill, 0, out, head.length, fill.length);
        return out;
    }

    /** Parses and regenerates a broadcast; returns null when {@code message} is not exactly what its header promises. */
    static Broadcast parseBroadcast(byte[] message) {
        String text = new String(message, 0, Math.min(message.length, 64), StandardCharsets.ISO_8859_1);
        if (!text.startsWith("B")) {
            return null;
        }
        String[] parts = text.substring(1).split("\\|", 4);
        if (parts.length < 4) {
            return null;
        }
        try {
            long seq = Long.parseLong(parts[1]);
            int length = Integer.parseInt(parts[2]);
            return java.util.Arrays.equals(message, broadcast(parts[0], seq, length)) ? new Broadcast(parts[0], seq) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A validated broadcast's source and sequence number. */
    record Broadcast(String source, long seq) {
    }

    /**
     * A client WebSocket message: {@code command + tag + "|" + seq + "|"} then filler up to
     * {@code length} (empty when {@code length} is 0: an empty frame is always a plain echo).
     */
    static byte[] wsMessage(char command, String tag, long seq, int length, boolean text) {
        if (length == 0) {
            return new byte[0];
        }
        byte[] head = (command + tag + "|" + seq + "|").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[Math.max(length, head.length)];
        System.arraycopy(head, 0, out, 0, head.length);
        byte[] fill = filler(tag, seq, out.length - head.length, text);
        System.arraycopy(fill, 0, out, head.length, fill.length);
        return out;
    }
}
