package dev.ringhttp.core;

/** The request methods the server accepts; any other method is answered with 501. */
public enum HttpMethod {
    GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS;

    /** Whether a request with this method must carry a {@code Content-Length} (else 411). */
    public boolean requiresContentLength() {
        return this == POST || this == PUT || this == PATCH;
    }
}
