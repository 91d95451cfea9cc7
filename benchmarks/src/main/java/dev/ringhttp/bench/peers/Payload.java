package dev.ringhttp.bench.peers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The broadcast message every peer sends: ASCII text of a fixed size whose bytes 1–19 hold the server's
 * {@link System#nanoTime()} at creation, zero-padded. On Linux nanoTime reads {@code CLOCK_MONOTONIC}, which
 * all processes on one machine share, so the load client subtracts it from its own nanoTime to get the
 * delivery latency. The rest is JSON-like filler, compressible like a real feed.
 *
 * <pre>T0000012345678901234 {"sym":"AAPL","px":123.45,"qty":100,"seq":...}...</pre>
 */
public final class Payload {

    public static final int TIMESTAMP_OFFSET = 1;
    public static final int TIMESTAMP_DIGITS = 19;
    public static final int MIN_SIZE = TIMESTAMP_OFFSET + TIMESTAMP_DIGITS + 1;
    public static final String HELLO = "Hello, World!";
    public static final byte[] HELLO_BYTES = HELLO.getBytes(StandardCharsets.US_ASCII);

    private static final String[] SYMBOLS = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "AVGO"};

    private static volatile long dateSecond;
    private static volatile String date;

    private Payload() {
    }

    /** The HTTP {@code Date} value, formatted once a second, for the servers that do not add it themselves. */
    public static String httpDate() {
        long second = System.currentTimeMillis() / 1000;
        String d = date;
        if (second != dateSecond || d == null) {
            d = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
            date = d;
            dateSecond = second;
        }
        return d;
    }

    /** A message of {@code size} bytes with a zero timestamp. */
    public static byte[] template(int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("message size " + size + " below " + MIN_SIZE);
        }
        StringBuilder text = new StringBuilder(size + 64).append('T');
        text.append("0".repeat(TIMESTAMP_DIGITS)).append(' ');
        for (int i = 0; text.length() < size; i++) {
            text.append("{\"sym\":\"").append(SYMBOLS[i % SYMBOLS.length]).append("\",\"px\":")
                    .append(100 + (i * 37) % 900).append('.').append(10 + (i * 13) % 90)
                    .append(",\"qty\":").append(100 * (1 + i % 7)).append("},");
        }
        text.setLength(size);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A fresh copy of {@code template} stamped with now. */
    public static byte[] stamped(byte[] template) {
        byte[] message = template.clone();
        stamp(message, System.nanoTime());
        return message;
    }

    public static void stamp(byte[] message, long nanos) {
        for (int i = TIMESTAMP_OFFSET + TIMESTAMP_DIGITS - 1; i >= TIMESTAMP_OFFSET; i--) {
            message[i] = (byte) ('0' + nanos % 10);
            nanos /= 10;
        }
    }

    /** Writes the stamp into {@code dst} at absolute {@code index} (the message's first byte). */
    public static void stamp(ByteBuffer dst, int index, long nanos) {
        for (int i = index + TIMESTAMP_OFFSET + TIMESTAMP_DIGITS - 1; i >= index + TIMESTAMP_OFFSET; i--) {
            dst.put(i, (byte) ('0' + nanos % 10));
            nanos /= 10;
        }
    }

    /** Reads the stamp of the message starting at absolute {@code index}; -1 if it is not a stamp. */
    public static long timestamp(ByteBuffer src, int index) {
        long value = 0;
        for (int i = index + TIMESTAMP_OFFSET, end = i + TIMESTAMP_DIGITS; i < end; i++) {
            int digit = src.get(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    public static long timestamp(byte[] src, int index) {
        long value = 0;
        for (int i = index + TIMESTAMP_OFFSET, end = i + TIMESTAMP_DIGITS; i < end; i++) {
            int digit = src[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
