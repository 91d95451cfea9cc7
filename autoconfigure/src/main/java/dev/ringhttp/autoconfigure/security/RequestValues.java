package dev.ringhttp.autoconfigure.security;

import dev.ringhttp.core.HttpRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.util.MultiValueMap;

/**
 * Reads values out of a request: a query parameter or a cookie without
 * building maps (each call scans the text again, which suits the few look-ups
 * a filter or a handshake check makes), and all the parameters of a query or
 * form body, for routes and actuator endpoints.
 */
public final class RequestValues {

    private RequestValues() {
    }

    /**
     * The first value of query parameter {@code name}, percent-decoded (UTF-8; {@code +} is a
     * space), {@code ""} for a parameter without {@code =}, or null if the query has none. The
     * core guarantees every {@code %} in the request target starts a well-formed triplet, so
     * decoding a query cannot fail.
     */
    public static @Nullable String queryParameter(@Nullable String query, String name) {
        String[] found = new String[1];
        forEachPair(query, (pairName, raw, valueStart, end) -> {
            if (!pairName.equals(name)) {
                return true;
            }
            found[0] = valueStart < 0 ? "" : decode(raw.substring(valueStart, end));
            return false;
        });
        return found[0];
    }

    /**
     * Adds every {@code name=value} pair of {@code raw}, a query string or a form body
     * ({@code application/x-www-form-urlencoded}), to {@code into}, in order and decoded as
     * {@link #queryParameter} decodes; the one parser of such text in ringhttp. A malformed
     * {@code %} escape (possible in a form body) throws {@link IllegalArgumentException}.
     */
    public static void parameters(@Nullable String raw, MultiValueMap<String, String> into) {
        forEachPair(raw, (name, text, valueStart, end) -> {
            into.add(name, valueStart < 0 ? "" : decode(text.substring(valueStart, end)));
            return true;
        });
    }

    /** Sees one pair: its decoded name, and where its value lies in the text (-1: no {@code =}). */
    private interface PairVisitor {
        /** Returns whether to go on to the next pair. */
        boolean visit(String name, String text, int valueStart, int end);
    }

    /** Visits the non-empty {@code &}-separated pairs of {@code text} in order. */
    private static void forEachPair(@Nullable String text, PairVisitor visitor) {
        if (text == null || text.isEmpty()) {
            return;
        }
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('&', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start) {
                int eq = text.indexOf('=', start);
                int nameEnd = eq < 0 || eq > end ? end : eq;
                if (!visitor.visit(decode(text.substring(start, nameEnd)), text, nameEnd == end ? -1 : nameEnd + 1,
                        end)) {
                    return;
                }
            }
            start = end + 1;
        }
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
