package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpResponse;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/** Copies spring-web headers onto the core response, the ones it knows by name through their setters. */
final class ResponseHeaders {

    private ResponseHeaders() {
    }

    /**
     * Copies {@code headers}; returns whether a Content-Type was among them. Content-Length and
     * Connection are the server's own to set, from the body and the connection's state.
     */
    static boolean copy(HttpHeaders headers, HttpResponse response) {
        boolean typed = false;
        for (Map.Entry<String, List<String>> e : headers.headerSet()) {
            String name = e.getKey();
            String value = String.join(", ", e.getValue());
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                response.contentType(value);
                typed = true;
            } else if (name.equalsIgnoreCase(HttpHeaders.CACHE_CONTROL)) {
                response.cacheControl(value);
            } else if (name.equalsIgnoreCase(HttpHeaders.CONTENT_ENCODING)) {
                response.contentEncoding(value);
            } else if (name.equalsIgnoreCase(HttpHeaders.LOCATION)) {
                response.location(value);
            } else if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)
                    && !name.equalsIgnoreCase(HttpHeaders.CONNECTION)) {
                response.header(name, value);
            }
        }
        return typed;
    }
}
