package dev.ringhttp.core;

/**
 * How a loop's handlers reach the clients of the other loops: a message staged on one loop travels
 * to another as a copy, handed over as a task, and is stored once in that loop's ring. Only a
 * server with several loops has peers.
 */
interface LoopPeers {

    /**
     * Broadcasts {@code message} on every loop but {@code fromLoop}, after the broadcasts queued
     * there before it, so one thread's messages keep their order at every receiver.
     */
    void broadcast(int fromLoop, int channel, byte[] message, boolean text);

    /** Sends {@code message} to WebSocket {@code serverWsId} on the loop that owns it. */
    void sendTo(int serverWsId, byte[] message, boolean text);
}
