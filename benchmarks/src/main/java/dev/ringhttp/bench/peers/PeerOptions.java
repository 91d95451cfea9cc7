package dev.ringhttp.bench.peers;

/**
 * What the harness tells a peer, as system properties (the Spring peers read them the same way).
 *
 * @param port       {@code bench.port}: loopback port to listen on
 * @param size       {@code bench.size}: bytes of each broadcast message; 0 means no broadcaster (HTTP and idle runs)
 * @param policy     {@code bench.policy}: what the broadcaster does when a client's outgoing backlog is full
 * @param maxPending {@code bench.maxPending}: messages a client may have in flight before it counts as full
 * @param compress   {@code bench.compress}: ringhttp only, offer zstd ({@code compress-zstd}) to clients
 * @param loops      {@code bench.loops}: event loops (I/O threads, nginx workers) the server runs; 0 (the property
 *                   absent, a run without {@code --loops}) means the peer's own default, as before the option existed
 */
public record PeerOptions(int port, int size, Policy policy, int maxPending, boolean compress, int loops) {

    /** What a broadcaster does with a client whose backlog is full. */
    public enum Policy {
        /** Wait until it drains: lossless, every client is held to the slowest one. */
        WAIT,
        /** Close it, as ringhttp does: the others keep going. */
        CLOSE
    }

    public static PeerOptions fromSystemProperties() {
        return new PeerOptions(
                Integer.getInteger("bench.port", 8080),
                Integer.getInteger("bench.size", 0),
                Policy.valueOf(System.getProperty("bench.policy", "WAIT").toUpperCase(java.util.Locale.ROOT)),
                Integer.getInteger("bench.maxPending", 256),
                Boolean.getBoolean("bench.compress"),
                Integer.getInteger("bench.loops", 0));
    }

    /** {@link #loops()} if the harness set it, else {@code peerDefault}. */
    public int loopsOr(int peerDefault) {
        return loops > 0 ? loops : peerDefault;
    }

    /** Printed once listening; the harness waits for this line on stdout. */
    public static void ready(String peer, int port) {
        System.out.println("READY " + peer + " " + port);
        System.out.flush();
    }
}
