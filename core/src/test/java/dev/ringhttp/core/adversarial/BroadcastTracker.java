package dev.ringhttp.core.adversarial;

import java.util.HashMap;
import java.util.Map;

/**
 * One receiver's view of the broadcasts: each must be intact (it regenerates from its own header),
 * and from each source the sequence numbers must run without gap, repeat or reordering once the
 * receiver has seen the first (a connection that stays open gets every later broadcast).
 */
final class BroadcastTracker {

    private final Map<String, Long> last = new HashMap<>();

    /** Returns null when fine, else what is wrong. */
    String accept(byte[] message) {
        Payloads.Broadcast b = Payloads.parseBroadcast(message);
        if (b == null) {
            return "corrupt broadcast of " + message.length + " bytes: \"" + new String(message, 0,
                    Math.min(60, message.length), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .replaceAll("[^\\x20-\\x7e]", ".") + "\"";
        }
        Long before = last.put(b.source(), b.seq());
        if (before != null && b.seq() != before + 1) {
            return "broadcast from " + b.source() + " #" + b.seq() + " after #" + before;
        }
        return null;
    }

    int sources() {
        return last.size();
    }
}
