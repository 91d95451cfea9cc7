package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.ServerContext;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes RFC 9457 problem details, {@code application/problem+json}: how routes answer errors,
 * as Spring does. The members are written in the RFC's order (type, title, status, detail,
 * instance) and then the problem's own properties; a title left out is the status's reason
 * phrase. They go through the {@link RouteConverters} (the JSON one); where none writes
 * {@code application/problem+json} (no Jackson), the detail (or title) goes out as plain text.
 */
final class ProblemWriter {

    static final String PROBLEM_JSON = "application/problem+json";
    private static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;
    private static final ResolvableType MEMBERS = ResolvableType.forClass(LinkedHashMap.class);
    private static final URI BLANK = URI.create("about:blank");

    private final RouteConverters converters;
    private final ServerContext context;
    private final boolean writesJson;

    ProblemWriter(RouteConverters converters, ServerContext context) {
        this.converters = converters;
        this.context = context;
        this.writesJson = converters.converters().stream().anyMatch(c -> c.canWrite(LinkedHashMap.class, PROBLEM));
    }

    /** A problem with only a status, as a shared read-only body: the allocation-free answers (404, 405). */
    static ByteBuffer constant(int status) {
        byte[] bytes = ("{\"type\":\"about:blank\",\"title\":\"" + reasonPhrase(status) + "\",\"status\":" + status + "}")
                .getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    /** Answers with {@code problem}, its status included; returns the status. Event loop only. */
    int write(HttpResponse response, ProblemDetail problem) throws Exception {
        int status = problem.getStatus();
        response.status(status);
        writeBody(response, problem, null);
        return status;
    }

    /** Writes {@code problem} as the body only; {@code preset} is a Content-Type the answer already has. */
    void writeBody(HttpResponse response, ProblemDetail problem, @Nullable MediaType preset) throws Exception {
        if (!writesJson) {
            String detail = problem.getDetail();
            response.contentType(ReturnValueWriter.TEXT_PLAIN_UTF8)
                    .body((detail != null ? detail : title(problem)) + "\n");
            return;
        }
        converters.write(members(problem), MEMBERS, preset != null ? preset : PROBLEM, null, null, response,
                context.staging());
    }

    /** The members to serialise: Spring's {@code ProblemDetail} keeps its extension members apart. */
    static LinkedHashMap<String, Object> members(ProblemDetail problem) {
        LinkedHashMap<String, Object> members = new LinkedHashMap<>();
        URI type = problem.getType();
        members.put("type", (type != null ? type : BLANK).toString());
        members.put("title", title(problem));
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

    private static String title(ProblemDetail problem) {
        String given = problem.getTitle();
        return given != null ? given : reasonPhrase(problem.getStatus());
    }

    private static String reasonPhrase(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known != null ? known.getReasonPhrase() : "Error";
    }
}
