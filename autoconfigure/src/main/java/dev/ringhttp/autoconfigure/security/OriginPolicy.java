package dev.ringhttp.autoconfigure.security;

import dev.ringhttp.core.HttpRequest;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which browser pages may open WebSockets: the check that stops cross-site
 * WebSocket hijacking, as Spring's WebSocket support makes it by default.
 *
 * <p>An upgrade is allowed when it has no {@code Origin} header (not a
 * browser: browsers always send one with a WebSocket handshake), when its
 * origin is the page's own (same scheme-default port, host and port as the
 * request's {@code Host}), or when its origin is listed
 * ({@code ringhttp.server.websocket.allowed-origins}; {@code *} allows every
 * origin). Origins compare without case and without a trailing slash;
 * {@code null} (sandboxed frames, files) is allowed only by {@code *} or by
 * listing {@code null}.
 */
public final class OriginPolicy {

    private final List<String> allowed;
    private final boolean anyOrigin;

    /** @param allowedOrigins origins allowed besides the request's own, such as {@code https://example.com}, or {@code *} */
    public OriginPolicy(List<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(OriginPolicy::normalize).toList();
        this.anyOrigin = allowed.contains("*");
    }

    /** Whether {@code request}, a WebSocket upgrade, may proceed as far as its origin goes. */
    public boolean allows(HttpRequest request) {
        String origin = request.header("Origin");
        if (origin == null || anyOrigin) {
            return true;
        }
        String normalized = normalize(origin);
        return allowed.contains(normalized) || sameOrigin(normalized, request.header("Host"));
    }

    /**
     * Whether {@code origin} ({@code scheme://host[:port]}) names the host and port of the
     * {@code Host} header. A port left out on either side is the origin scheme's default (80 for
     * http and ws, 443 for https and wss), since a browser leaves it out of both for the default.
     */
    static boolean sameOrigin(String origin, @Nullable String host) {
        if (host == null) {
            return false;
        }
        int schemeEnd = origin.indexOf("://");
        if (schemeEnd <= 0) {
            return false;
        }
        int defaultPort = switch (origin.substring(0, schemeEnd)) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
        if (defaultPort < 0) {
            return false;
        }
        String originAuthority = origin.substring(schemeEnd + 3);
        return hostOf(originAuthority).equals(hostOf(host.toLowerCase(Locale.ROOT)))
                && portOf(originAuthority, defaultPort) == portOf(host, defaultPort)
                && portOf(originAuthority, defaultPort) > 0;
    }

    /** The host of {@code host[:port]} or {@code [v6]:port}. */
    private static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    /** The port of {@code authority}, {@code defaultPort} when it names none, -1 when it is not a number. */
    private static int portOf(String authority, int defaultPort) {
        int from = authority.startsWith("[") ? authority.indexOf(']') + 1 : 0;
        int colon = authority.indexOf(':', from);
        if (colon < 0) {
            return defaultPort;
        }
        String digits = authority.substring(colon + 1);
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    private static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
