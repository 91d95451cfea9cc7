package dev.ringhttp.core.ring;

/**
 * Closes the connections whose pending output the {@link OutgoingRing} is about
 * to overwrite. The server implements it, typically by popping an
 * {@link OffsetHeap} keyed by each connection's oldest pending offset.
 *
 * <p>The ring calls it before it writes a byte, with thresholds that strictly
 * increase over the ring's life and are always positive: once a threshold has
 * been passed, every byte below it counts as overwritten (see
 * {@link OutgoingRing#isOverwritten(long)}), so the server must never queue an
 * offset for which that is true.
 */
@FunctionalInterface
public interface Evictor {

    /**
     * Closes every connection whose oldest pending ring offset is strictly
     * below {@code offset}; a connection pending exactly at {@code offset}
     * keeps its bytes. Implementations must not stage into the ring that
     * called them: it throws {@link IllegalStateException} if they do.
     *
     * @param offset the lowest logical offset that stays intact
     */
    void evictBelow(long offset);
}
