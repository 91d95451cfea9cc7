package dev.ringhttp.bench.load;

/** What a load client offers the server, and so how the broadcast messages reach it. */
public enum Compression {
    /** Nothing offered: plain text frames. */
    NONE(""),
    /** The {@code compress-zstd} subprotocol: long messages arrive as zstd binary frames. */
    ZSTD("Sec-WebSocket-Protocol: compress-zstd\r\n"),
    /** {@code permessage-deflate} (RFC 7692), as browsers offer it: long messages arrive deflated, with RSV1. */
    DEFLATE("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");

    private final String offer;

    Compression(String offer) {
        this.offer = offer;
    }

    /** The handshake header line that offers it, empty for {@link #NONE}. */
    String offer() {
        return offer;
    }

    /** The label workloads carry: empty for {@link #NONE}. */
    public String label() {
        return this == NONE ? "" : ", " + name().toLowerCase(java.util.Locale.ROOT);
    }
}
