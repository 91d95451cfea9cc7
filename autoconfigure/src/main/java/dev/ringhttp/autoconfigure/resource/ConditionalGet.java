package dev.ringhttp.autoconfigure.resource;

import dev.ringhttp.core.HttpRequest;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Decides whether a GET or HEAD of a static file is answered
 * {@code 304 Not Modified} (RFC 9110 section 13.2.2): by
 * {@code If-None-Match} when the request has it, else by
 * {@code If-Modified-Since}.
 *
 * <p>A browser revalidates with exactly the {@code ETag} or
 * {@code Last-Modified} it was given, which is compared in place; only other
 * forms (a list of tags, a weak tag, another date) are parsed, allocating.
 */
final class ConditionalGet {

    static final String IF_NONE_MATCH = "If-None-Match";
    static final String IF_MODIFIED_SINCE = "If-Modified-Since";

    private ConditionalGet() {
    }

    static boolean notModified(HttpRequest request, StaticFile file) {
        // Our tags are hex digits in quotes: one that differs only in case names the same hash.
        if (request.headerEquals(IF_NONE_MATCH, file.etag())) {
            return true;
        }
        String ifNoneMatch = request.header(IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            // If-None-Match present: If-Modified-Since is ignored (section 13.2.2, step 3).
            return matchesAny(ifNoneMatch, file.etag());
        }
        String lastModified = file.lastModified();
        if (lastModified == null) {
            return false;
        }
        if (request.headerEquals(IF_MODIFIED_SINCE, lastModified)) {
            return true;
        }
        String since = request.header(IF_MODIFIED_SINCE);
        if (since == null) {
            return false;
        }
        long sinceSeconds = epochSeconds(since);
        return sinceSeconds >= 0 && file.lastModifiedSeconds() <= sinceSeconds;
    }

    /** Weak comparison against a list of entity tags or {@code *} (section 13.1.2: {@code W/} is ignored). */
    static boolean matchesAny(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** The date in epoch seconds, or -1 if it is not an HTTP date (an invalid date is ignored, section 13.1.3). */
    static long epochSeconds(String httpDate) {
        for (DateTimeFormatter format : new DateTimeFormatter[] {StaticResourceLoader.HTTP_DATE,
                DateTimeFormatter.RFC_1123_DATE_TIME}) {
            try {
                return Instant.from(format.parse(httpDate.trim())).getEpochSecond();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return -1;
    }
}
