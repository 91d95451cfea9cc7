package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpResponse;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Writes RFC 9457 problem details, {@code application/problem+json}: how routes answer errors,
 * as Spring does. The members are written in the RFC's order (type, title, status, detail,
 * instance) and then the problem's own properties; a title left out is the status's reason
 * phrase. Without Jackson, the detail (or title) goes out as plain text instead.
 */
final class ProblemWriter {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final URI BLANK = URI.create("about:blank");

    private final @Nullable JsonCodec json;

    ProblemWriter(@Nullable JsonCodec json) {
        this.json = json;
    }

    /** A problem with only a status, as a shared read-only body: the allocation-free answers (404, 405). */
    static ByteBuffer constant(int status) {
        byte[] bytes = ("{\"type\":\"about:blank\",\"title\":\"" + reasonPhrase(status) + "\",\"status\":" + status + "}")
                .getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    /** Answers with a problem of {@code status} and {@code detail} (none when null or empty); returns the status. */
    int write(HttpResponse response, int status, @Nullable String detail) throws Exception {
        ProblemDetail problem = ProblemDetail.forStatus(status);
        if (detail != null && !detail.isEmpty()) {
            problem.setDetail(detail);
        }
        return write(response, problem);
    }

    /** Answers with {@code problem}, its status included; returns the status. */
    int write(HttpResponse response, ProblemDetail problem) throws Exception {
        int status = problem.getStatus();
        response.status(status);
        String given = problem.getTitle();
        String title = given != null ? given : reasonPhrase(status);
        if (json == null) {
            String detail = problem.getDetail();
            response.contentType(ResponseWriter.TEXT_PLAIN).body((detail != null ? detail : title) + "\n");
            return status;
        }
        response.contentType(PROBLEM_JSON).body(json.write(members(problem)));
        return status;
    }

    /** The members to serialise: Spring's {@code ProblemDetail} keeps its extension members apart. */
    static Map<String, Object> members(ProblemDetail problem) {
        String given = problem.getTitle();
        String title = given != null ? given : reasonPhrase(problem.getStatus());
        Map<String, Object> members = new LinkedHashMap<>();
        URI type = problem.getType();
        members.put("type", (type != null ? type : BLANK).toString());
        members.put("title", title);
        members.put("status", problem.getStatus());
        String detail = problem.getDetail();
        if (detail != null) {
            members.put("detail", detail);
        }
        URI instance = problem.getInstance();
        if (instance != null) {
            members.put("instance", instance.toString());
        }
        Map<String, @Nullable Object> properties = problem.getProperties();
        if (properties != null) {
            properties.forEach((name, value) -> {
                if (value != null) {
                    members.putIfAbsent(name, value);
                }
            });
        }
        return members;
    }

    private static String reasonPhrase(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known != null ? known.getReasonPhrase() : "Error";
    }
}
