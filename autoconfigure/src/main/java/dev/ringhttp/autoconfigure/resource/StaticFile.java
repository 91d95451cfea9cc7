package dev.ringhttp.autoconfigure.resource;

import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * One loaded static file and the header values of its responses, all
 * computed at start-up so that answering it formats nothing.
 *
 * @param name          its path below its location, as found ({@code css/app.css})
 * @param body          read-only view of its bytes in direct memory, shared by every response
 * @param contentType   the {@code Content-Type} its extension gives
 * @param etag          strong {@code ETag}, quoted, from a hash of the content
 * @param lastModified  {@code Last-Modified} in HTTP date form, or null if the location does not know it
 * @param lastModifiedSeconds the same instant in epoch seconds, or -1
 */
public record StaticFile(String name, ByteBuffer body, String contentType, String etag,
        @Nullable String lastModified, long lastModifiedSeconds) {

    /** Length of the content in bytes. */
    public int length() {
        return body.remaining();
    }
}
