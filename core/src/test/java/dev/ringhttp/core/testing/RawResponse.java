package dev.ringhttp.core.testing;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP response as {@link HttpResponseReader} read it: the status, the status line, the headers
 * by lower-case name (the last of repeated ones), the body.
 */
public record RawResponse(int status, String statusLine, Map<String, String> headers, byte[] body) {

    /** The value of header {@code name} (any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
