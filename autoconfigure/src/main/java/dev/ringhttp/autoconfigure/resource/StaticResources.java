package dev.ringhttp.autoconfigure.resource;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.springframework.web.util.UriUtils;

/**
 * The static files loaded at start-up, by their name below their location,
 * and the request paths that reach them.
 *
 * @param locations   where they were looked for, in order of precedence
 * @param files       every file by name ({@code index.html}, {@code css/app.css}), sorted
 * @param totalBytes  their total size, all held in one block of direct memory
 */
public record StaticResources(List<String> locations, SortedMap<String, StaticFile> files, long totalBytes) {

    static final String INDEX = "index.html";

    public StaticResources {
        locations = List.copyOf(locations);
        files = Collections.unmodifiableSortedMap(files);
    }

    /**
     * The request paths that reach each file, as a browser sends them: {@code /} and the name,
     * percent-encoded as UTF-8 with upper-case hex digits where a character needs it; an
     * {@code index.html} is also reached at its directory ({@code /} for the root,
     * {@code /docs/} for {@code docs/index.html}). Every key starts with {@code /}.
     */
    public Map<String, StaticFile> requestPaths() {
        Map<String, StaticFile> paths = new LinkedHashMap<>();
        files.forEach((name, file) -> {
            String path = "/" + UriUtils.encodePath(name, StandardCharsets.UTF_8);
            paths.put(path, file);
            if (name.equals(INDEX) || name.endsWith("/" + INDEX)) {
                paths.put(path.substring(0, path.length() - INDEX.length()), file);
            }
        });
        return paths;
    }
}
