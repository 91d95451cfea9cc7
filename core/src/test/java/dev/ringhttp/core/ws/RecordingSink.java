package dev.ringhttp.core.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records what a decoder reports, as comparable strings (payload bytes as ISO-8859-1 chars). */
final class RecordingSink implements FrameSink {
    final List<String> events = new ArrayList<>();
    /** Return false from data and control callbacks after this many events. */
    int stopAfter = Integer.MAX_VALUE;

    static String text(String text) {
        return "text:" + latin1(text.getBytes(StandardCharsets.UTF_8));
    }

    static String binary(byte[] payload) {
        return "binary:" + latin1(payload);
    }

    static String ping(byte[] payload) {
        return "ping:" + latin1(payload);
    }

    static String pong(byte[] payload) {
        return "pong:" + latin1(payload);
    }

    static String close(int code, String reason) {
        return "close:" + code + ":" + latin1(reason.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean onMessage(ByteBuffer buffer, int offset, int length, boolean text) {
        events.add((text ? "text:" : "binary:") + read(buffer, offset, length));
        return events.size() < stopAfter;
    }

    @Override
    public boolean onPing(ByteBuffer buffer, int offset, int length) {
        events.add("ping:" + read(buffer, offset, length));
        return events.size() < stopAfter;
    }

    @Override
    public boolean onPong(ByteBuffer buffer, int offset, int length) {
        events.add("pong:" + read(buffer, offset, length));
        return events.size() < stopAfter;
    }

    @Override
    public void onClose(int code, ByteBuffer buffer, int reasonOffset, int reasonLength) {
        events.add("close:" + code + ":" + read(buffer, reasonOffset, reasonLength));
    }

    private static String read(ByteBuffer buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        buffer.get(offset, bytes);
        return latin1(bytes);
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
