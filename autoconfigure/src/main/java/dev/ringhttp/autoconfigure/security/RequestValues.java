package dev.ringhttp.autoconfigure.security;

import dev.ringhttp.core.HttpRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads single values out of a request without building maps: a query
 * parameter, a cookie. Each call scans the text again, which suits the few
 * look-ups a filter or a handshake check makes; it allocates only the strings
 * it returns.
 */
public final class RequestValues {

    private RequestValues() {
    }

    /**
     * The first value of query parameter {@code name}, percent-decoded (UTF-8; {@code +} is a
     * space), {@code ""} for a parameter without {@code =}, or null if the query has none. The
     * core guarantees every {@code %} starts a well-formed triplet, so decoding cannot fail.
     */
    public static @Nullable String queryParameter(@Nullable String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            if (end > start) {
                int eq = query.indexOf('=', start);
                int nameEnd = eq < 0 || eq > end ? end : eq;
                if (decode(query.substring(start, nameEnd)).equals(name)) {
                    return nameEnd == end ? "" : decode(query.substring(nameEnd + 1, end));
                }
            }
            start = end + 1;
        }
        return null;
    }

    /**
     * The value of cookie {@code name} (case-sensitive, RFC 6265), without surrounding double
     * quotes, from the first {@code Cookie} header that has it; null if none does. The value is
     * returned as sent: cookies carry no percent-decoding of their own.
     */
    public static @Nullable String cookie(HttpRequest request, String name) {
        for (int i = 0; i < request.headerCount(); i++) {
            if (!"Cookie".equalsIgnoreCase(request.headerName(i))) {
                continue;
            }
            String value = cookieIn(request.headerValue(i), name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Cookie {@code name} in one {@code Cookie} header's value: {@code a=1; b=2}. */
    static @Nullable String cookieIn(String header, String name) {
        int start = 0;
        while (start < header.length()) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = header.length();
            }
            int eq = header.indexOf('=', start);
            if (eq > start && eq < end && header.substring(start, eq).trim().equals(name)) {
                String value = header.substring(eq + 1, end).trim();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
            start = end + 1;
        }
        return null;
    }

    private static String decode(String s) {
        return s.indexOf('%') < 0 && s.indexOf('+') < 0 ? s : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
