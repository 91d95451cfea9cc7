package dev.ringhttp.core.adversarial;

import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

/** Writes bytes whole, or cut at random byte boundaries with short pauses between the pieces. */
final class SplitWriter {

    private static final int MAX_PIECES = 6;

    private SplitWriter() {
    }

    static void write(OutputStream out, byte[] bytes, SplittableRandom r, boolean split) throws IOException {
        if (!split || bytes.length < 2) {
            out.write(bytes);
            out.flush();
            return;
        }
        int pieces = 2 + r.nextInt(Math.min(MAX_PIECES, bytes.length) - 1);
        int at = 0;
        for (int i = 1; i <= pieces && at < bytes.length; i++) {
            int end = i == pieces ? bytes.length : at + 1 + r.nextInt(Math.max(1, (bytes.length - at) / 2));
            end = Math.min(end, bytes.length);
            out.write(bytes, at, end - at);
            out.flush();
            at = end;
            pause(r.nextInt(4) == 0 ? r.nextInt(60) : r.nextInt(3));
        }
    }

    static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
